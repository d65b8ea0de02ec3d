"""Difficulties and proposals a cooperative raises with the alliance, and the alliance's answers."""
