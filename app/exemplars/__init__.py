"""Model cooperatives (điển hình tiên tiến): rankings, marking, and what each does best."""
