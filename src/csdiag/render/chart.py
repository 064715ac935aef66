"""The severity × certainty chart of a case, as SVG to inline in the HTML report.

pygal draws it: pure Python, static SVG, and its text stays text (so Chinese and Russian
labels render, and print sharply). The SVG embeds no script and links nothing: pygal's
tooltip script is left out (js=[]) and its config script and comments (one carries
today's date) are stripped, and its CSS is inlined in the SVG's own <style>.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from csdiag.i18n import fixed, gettext
from csdiag.reason.diagnosis import CaseResult
from csdiag.render.layout import width
from csdiag.render.text import severity_word

LEVELS = ("low", "medium", "high", "critical")  # bottom to top
LABEL_COLUMNS = 36  # a short title's display width; longer ones are cut with '…'
WIDTH, HEIGHT = 820, 620  # the SVG's coordinates; the page scales it to fit
LABEL_SIZE = 11  # px, in those coordinates
# pygal sets a dot's label this far right of and below the dot (its value font size);
# the labels are moved back beside their dots.
PYGAL_OFFSET = 16
# Colour tells diagnoses from weak signals on screen; the legend and the dot's place
# still say it in grey print.
COLOURS = ("#b3261e", "#d08c00", "#333333")
FONTS = ('system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", '
         'Arial, "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", '
         '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')


@dataclass(frozen=True)
class Point:
    label: str
    certainty: float
    level: int  # 1 (low) .. 4 (critical)
    diagnosed: bool


def short_title(title: str, columns: int = LABEL_COLUMNS) -> str:
    """A title short enough to label a dot: up to its first ':' when that leaves enough
    to recognise it, else cut at a word (a character, in Chinese) with '…'."""
    for mark in (":", "：", " - ", " — "):
        head = title.split(mark, 1)[0]
        if head != title and 12 <= width(head) <= columns:
            return head
    if width(title) <= columns:
        return title
    cut = ""
    for char in title:
        if width(cut + char) > columns - 1:
            break
        cut += char
    if " " in cut and not cut.endswith(" "):
        cut = cut.rsplit(" ", 1)[0]  # at a word, for languages that have spaces
    return cut.rstrip(" ,;-–—") + "…"


def points(result: CaseResult) -> list[Point]:
    """One point per diagnosis and weak signal (partial evidence included)."""
    found = [(c.rule, c.certainty, True) for c in result.diagnoses]
    found += [(c.rule, c.certainty, False) for c in result.weak_signals]
    found += [(u.rule, u.certainty, False) for u in result.partial_signals()]
    return [Point(short_title(str(rule.title)), certainty, LEVELS.index(rule.severity) + 1,
                  diagnosed)
            for rule, certainty, diagnosed in found if rule.severity in LEVELS]


def _spread(chart_points: list[Point]) -> list[float]:
    """Each point's height: its severity level, moved within the level's band so that
    points of one level (several at the same certainty, often) and their labels do not
    sit on each other; the most certain on top."""
    heights = [0.0] * len(chart_points)
    for level in range(1, len(LEVELS) + 1):
        band = sorted((i for i, p in enumerate(chart_points) if p.level == level),
                      key=lambda i: (-chart_points[i].certainty, chart_points[i].label))
        step = 0.84 / (len(band) - 1) if len(band) > 1 else 0.0
        for rank, index in enumerate(band):
            heights[index] = level + (0.42 - rank * step if len(band) > 1 else 0.0)
    return heights


def _name(element: Any) -> str:
    """An element's tag without its namespace ('' for a comment, whose tag is no str)."""
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _classes(element: Any) -> list[str]:
    return str(element.get("class", "")).split()


def _strip_and_place(root: Any, caption: str) -> Any:
    """pygal's XML filter: drop scripts, comments, and the ids and tooltip data they use;
    name the chart; and set each label beside its dot: on its right, or on its left
    when it would run past the plot's right edge."""
    plot_width = next((float(rect.get("width")) for group in root.iter()
                       if _name(group) == "g" and _classes(group) == ["plot"]
                       for rect in group if "background" in _classes(rect)), float(WIDTH))
    for parent in list(root.iter()):
        for child in list(parent):
            name = _name(child)
            # Tooltip data (desc) serves only the script, and holds the dots' shifted
            # heights and pixel positions: nothing a reader should see.
            if name in ("", "script", "desc"):
                parent.remove(child)
                continue
            # Ids only the script used: the same in every chart, so not unique in a
            # report with several.
            child.attrib.pop("id", None)
            if name == "title" and parent is root:
                child.text = caption
            elif name == "text" and "label" in _classes(child):
                x = float(child.get("x")) - PYGAL_OFFSET
                y = float(child.get("y")) - PYGAL_OFFSET * 4 / 3  # pygal adds a third more
                if x + 8 + width(child.text or "") * LABEL_SIZE * 0.6 > plot_width:
                    child.set("x", f"{x - 8:.1f}")
                    child.set("text-anchor", "end")
                else:
                    child.set("x", f"{x + 8:.1f}")
                child.set("y", f"{y + LABEL_SIZE / 3:.1f}")
    return root


def severity_certainty_svg(result: CaseResult, chart_id: str) -> str:
    """The chart as an <svg> element ('' when the case has nothing to place on it). Call
    it in the case's language: every word on it is translated."""
    import pygal  # only the HTML report needs it
    from pygal.style import Style

    chart_points = points(result)
    if not chart_points:
        return ""
    heights = _spread(chart_points)
    style = Style(font_family=FONTS, background="transparent",
                  plot_background="transparent", colors=COLOURS,
                  foreground="#222", foreground_strong="#000", foreground_subtle="#999",
                  label_font_size=12, major_label_font_size=12, legend_font_size=13,
                  title_font_size=14, value_label_font_size=LABEL_SIZE,
                  # Light lines between the severity bands and at the x labels; none
                  # through the middle of a band, where its dots sit.
                  guide_stroke_color="transparent", major_guide_stroke_color="#d0d0d0",
                  major_guide_stroke_dasharray="0",
                  value_font_size=PYGAL_OFFSET)
    chart = pygal.XY(
        # No script; pygal's own stylesheets, named as files, are read into the SVG's
        # <style> (a URL here would be linked, so none is given); no XML declaration,
        # which has no place inside HTML.
        js=[], css=["file://style.css", "file://graph.css"], disable_xml_declaration=True,
        style=style, width=WIDTH, height=HEIGHT,
        stroke=False, print_labels=True, dots_size=5, range=(0.5, 4.5), xrange=(0, 1),
        x_title=gettext("certainty (0 to 1)"), y_title=gettext("severity"),
        legend_at_bottom=True, legend_at_bottom_columns=3, show_x_guides=True,
        truncate_label=-1, truncate_legend=-1, margin_right=24)
    chart.uuid = chart_id  # the id pygal prefixes its CSS with: stable, unique per case
    chart.x_labels = [{"label": fixed(x / 5, 1), "value": x / 5} for x in range(6)]
    chart.x_labels_major = [x / 5 for x in range(6)]
    chart.y_labels = [{"label": severity_word(level), "value": n}
                      for n, level in enumerate(LEVELS, 1)]
    chart.y_labels += [{"label": "", "value": n + 0.5} for n in range(1, len(LEVELS))]
    chart.y_labels_major = [n + 0.5 for n in range(1, len(LEVELS))]
    for diagnosed, name in ((True, gettext("diagnoses")), (False, gettext("weak signals"))):
        chart.add(name, [{"value": (p.certainty, heights[i]), "label": p.label}
                         for i, p in enumerate(chart_points) if p.diagnosed is diagnosed])
    chart.add(gettext("threshold {threshold}").format(threshold=fixed(result.threshold)),
              [(result.threshold, 0.5), (result.threshold, 4.5)], stroke=True,
              show_dots=False, stroke_style={"width": 2, "dasharray": "6,4"})
    caption = gettext("Diagnoses and weak signals by certainty and severity")
    chart.add_xml_filter(lambda root: _strip_and_place(root, caption))
    svg: str = chart.render(is_unicode=True)
    return svg
