"""The panel shown instead of the list while there are no connections."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


class EmptyState(QWidget):
    """A title, one sentence on what a connection is, and the button to make one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("No connections yet"))
        # A centred column of limited width: wrapped text inside an alignment-flagged
        # layout item gets a one-line height, so the column, not the label, is aligned.
        column = QWidget(self)
        column.setMaximumWidth(480)
        column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.title = QLabel(self.tr("No connections yet"), column)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.text = QLabel(
            self.tr(
                "A connection remembers how to reach one Microsoft 365 organisation: "
                "its name, its cloud, the account you sign in with and the permissions "
                "you need, so you don't have to type them again."
            ),
            column,
        )
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.new_button = QPushButton(self.tr("&New connection"), column)
        self.new_button.setAccessibleName(self.tr("New connection"))
        self.new_button.setMinimumHeight(self.new_button.sizeHint().height() * 3 // 2)
        self.new_button.setMinimumWidth(200)
        self.new_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.new_button.setDefault(True)

        inner = QVBoxLayout(column)
        inner.addWidget(self.title)
        inner.addSpacing(8)
        inner.addWidget(self.text)
        inner.addSpacing(20)
        inner.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 4)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addLayout(row)
        layout.addStretch(3)
