"""The digital passport: the card a family shows, and the page a facility opens from its QR code."""
