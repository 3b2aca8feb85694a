"""Qt-free storage: the connection store (versioned JSON) and the keychain vault."""
