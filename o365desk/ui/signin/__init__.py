"""The embedded sign-in: a throw-away web profile, a guarded page, and the view around them."""
