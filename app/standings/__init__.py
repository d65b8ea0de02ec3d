"""What every cooperative's latest submitted assessment says, kept up to date at submit time."""
