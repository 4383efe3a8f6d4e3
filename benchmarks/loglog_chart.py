"""Log-log line charts for benchmarks/library.py's cost-growth figures, drawn by matplotlib
(the `bench` extra: pip install -e '.[bench]'), written as SVG or PNG by the file's suffix."""

from __future__ import annotations

from pathlib import Path


def save_chart(path: Path, panels: list[dict]) -> Path:
    """Panels side by side, each a dict of title, x_label, y_label and series (name -> list of
    (x, y) points, x and y > 0; an empty series is left out)."""
    try:
        import matplotlib
    except ImportError:
        raise SystemExit("the growth chart needs matplotlib: pip install -e '.[bench]' (the table above has the figures)")
    matplotlib.use("Agg")  # files only: no display on a server
    from matplotlib import pyplot, ticker

    plain = ticker.FuncFormatter(lambda value, _: f"{value:,.0f}")  # 600, not 6x10^2

    figure, axes = pyplot.subplots(1, len(panels), figsize=(6 * len(panels), 4.8), squeeze=False)
    for ax, spec in zip(axes[0], panels):
        for name, points in spec["series"].items():
            kept = [(x, y) for x, y in points if x > 0 and y > 0]
            if kept:
                ax.plot(*zip(*kept), marker="o", label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        for axis in (ax.xaxis, ax.yaxis):  # ticks at 1, 2, 5 of each decade, written out
            axis.set_major_locator(ticker.LogLocator(subs=(1, 2, 5)))
            axis.set_major_formatter(plain)
            axis.set_minor_formatter(ticker.NullFormatter())
        ax.set_title(spec["title"])
        ax.set_xlabel(spec["x_label"])
        ax.set_ylabel(spec["y_label"])
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize="small")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    pyplot.close(figure)
    return path.resolve()
