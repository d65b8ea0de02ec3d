"""The module catalogue's filter: by dimension, and an accent-insensitive search (pure)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from app.characters import query_text
from app.folding import fold
from app.training.modules import Module

MAX_SEARCH = 100


@dataclass(frozen=True)
class CatalogueFilter:
    text: str = ""
    dimension: str | None = None


def parse_filter(args: Mapping[str, str], dimensions: Collection[str]) -> CatalogueFilter:
    """Read the filter from the query string (``dimensions``: the codes one may choose); unknown
    values are ignored, not refused."""
    text = query_text(args, "q", max_length=MAX_SEARCH)
    dimension = args.get("dimension")
    return CatalogueFilter(text=text, dimension=dimension if dimension in dimensions else None)


def matches(module: Module, catalogue_filter: CatalogueFilter, locale: str) -> bool:
    """Whether ``module`` serves the chosen dimension and every searched word appears in its title
    or summary in ``locale``, accents ignored ("hoa don" finds "Hóa đơn")."""
    if catalogue_filter.dimension and catalogue_filter.dimension not in module.dimensions:
        return False
    haystack = fold(f"{module.title(locale)} {module.summary(locale)}")
    return all(word in haystack for word in fold(catalogue_filter.text).split())
