"""Family accounts: sign-up, login, children, e-mail and password changes, deletion."""
