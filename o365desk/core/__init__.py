"""Qt-free domain: connections, clouds, nickname rules."""
