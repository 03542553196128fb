"""The course bibliography and the glossary: every claim in the course points into these."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Reference", "Term"]


@dataclass(frozen=True)
class Reference:
    """One source in ``assets/references.yaml``."""

    id: str
    cite: str
    authors: tuple[str, ...]
    year: int
    title: str
    source: str
    confidence: str
    doi: str = ""
    url: str = ""
    caveat: str = ""
    pmid: str = ""
    learner_note: str = ""
    unresolved: str = ""
    facts: tuple[int, ...] = ()
    note: str = ""

    @property
    def link(self) -> str:
        """Where a reader can find the source: the DOI resolver first, else the URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    def format(self) -> str:
        """A plain-text citation: authors (first three, et al.), year, title, source, DOI or URL."""
        names = ", ".join(self.authors[:3]) + (", et al." if len(self.authors) > 3 else "")
        where = f"doi:{self.doi}" if self.doi else (f"PMID {self.pmid}" if self.pmid else self.url)
        return f"{names} ({self.year}). {self.title.rstrip('.')}. {self.source}. {where}"


@dataclass(frozen=True)
class Term:
    """A glossary entry: a plain-language definition with its source."""

    term: str
    definition: str
    references: tuple[str, ...]
    modules: tuple[str, ...]
