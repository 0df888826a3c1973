"""Public help: FAQ search and browsing, troubleshooting flows a family walks on the page, and the
お問い合わせ page that routes a question to whom to call (blueprint ``help``, under /help)."""
