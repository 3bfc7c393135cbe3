"""Payments of grants: suppliers, payment requests against invoices, the per-grant ledger and the
exports for accounting (DESIGN.md section 2, step 7). The money goes to suppliers only."""
