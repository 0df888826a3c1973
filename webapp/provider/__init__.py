"""The provider side of the Matsumoto coupons: what a provider's staff account sees and does.

- :mod:`.views` — the blueprint ``provider`` (URLs under ``/provider``): today's and recent
  redemptions (live), corrections within 24 hours, the poster with the QR code and passcode, passcode
  rotation, the monthly settlement statement and its CSV;
- :mod:`.poster` — the QR URL, the QR code as SVG and the printable SVG poster;
- :mod:`.operations` — queries (redemptions with their corrections, settlement) and the staff link;
- :mod:`.forms` — the correction and rotation forms;
- :mod:`.cli` — ``flask --app webapp link-provider EMAIL FACILITY_EXTERNAL_ID``.

State changes of the ledger and of the provider point go through :mod:`webapp.coupons.operations`.
"""
