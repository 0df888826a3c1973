"""Partner-facility registration: the public application form, review outcomes, the facility's own signed
links (change, withdraw) and the yearly renewal. ``views.init_app`` registers the blueprint and the command."""
