"""Every write in deals, by area: contracts (drafting, versions, signatures), orders (the escrow state machine and
fulfilment), ledger (money movements), disputes and reviews. Views, admin, API and tasks call these alike."""
