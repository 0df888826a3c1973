"""The agents' console (blueprint ``support``, under /support; roles agent and admin): search across FAQ,
flows, contacts and facilities, flows walked with the caller, routing, audited read-only member lookup and
call notes; the audit log for admins. Models: :class:`~.models.AuditLog`, :class:`~.models.CallNote`."""
