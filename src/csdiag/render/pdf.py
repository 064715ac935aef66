"""The HTML report printed to PDF by WeasyPrint, an optional extra: `pip install
'csdiag[pdf]'`. Without it, asking for a PDF is a user error that names the extra."""

from __future__ import annotations

from typing import Any, NoReturn

from csdiag.formats.errors import Problem, UserError
from csdiag.i18n import gettext

EXTRA = "csdiag[pdf]"


def _weasyprint() -> Any:
    """The weasyprint module, or a user error saying how to get it."""
    try:
        import weasyprint
    except ImportError:
        _refuse(gettext("PDF output needs the 'pdf' extra (WeasyPrint is not installed)"),
                gettext("pip install '{extra}'").format(extra=EXTRA))
    except OSError as error:  # installed, but the system's Pango libraries are missing
        _refuse(gettext("PDF output needs WeasyPrint's system libraries (Pango), which "
                        "could not be loaded: {reason}").format(reason=error),
                gettext("install Pango (Debian and Ubuntu: apt-get install "
                        "libpango-1.0-0 libpangoft2-1.0-0), see WeasyPrint's installation "
                        "guide"))
    return weasyprint


def _refuse(message: str, hint: str) -> NoReturn:
    raise UserError([Problem("--format pdf", None, None, message, hint)])


def check_pdf_support() -> None:
    """Raise a UserError now, before any case is run, if a PDF could not be written."""
    _weasyprint()


def _nothing_fetched(url: str, *args: object, **kwargs: object) -> NoReturn:
    # The report is self-contained; a URL in user text must not make printing reach out.
    raise ValueError(f"not fetched: {url}")


def html_to_pdf(html: str) -> bytes:
    """The document printed to PDF, A4 (the report's @page rule), fetching nothing."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_nothing_fetched)
    pdf: bytes = document.write_pdf()
    return pdf
