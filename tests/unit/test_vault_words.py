"""Each kind of keychain trouble has its own name and its own advice."""

from __future__ import annotations

from keyring.errors import KeyringLocked, NoKeyringError, PasswordSetError

from o365desk.storage.vault_errors import advice, headline, unavailable_from


def test_each_kind_of_trouble_is_named_by_what_happened():
    cases = {
        NoKeyringError("No recommended backend was available."): "No keychain was found",
        KeyringLocked("Failed to unlock the collection!"): "The keychain is locked",
        PasswordSetError("(1783, 'CredWrite', 'bad data')"):
            "The keychain refused to save the sign-in",
        TimeoutError("no reply"): "The keychain isn't answering",
    }
    for raised, name in cases.items():
        error = unavailable_from(raised)
        assert error.headline == name
        assert str(error).startswith(name)  # the message opens with the same words
        assert advice(str(error)) and advice(str(error)) in str(error)
        assert "refused" not in name or isinstance(raised, PasswordSetError)


def test_no_keychain_says_what_to_do_including_without_a_desktop():
    text = str(unavailable_from(NoKeyringError("No recommended backend was available.")))
    assert "GNOME Keyring or KWallet" in text
    assert "as root" in text and "README" in text
    assert "keeps sign-ins nowhere else" in text


def test_an_unknown_message_keeps_its_words():
    assert headline("Something else.") == "The keychain could not be used"
    assert advice("Something else.") == "Something else."
