"""The alliance's picture of its province: dashboard, cooperative table, a cooperative's page."""
