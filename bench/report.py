"""Builds bench/compare.sh's table. `rows MEASURE UNIT HYPERFINE_JSON RSS_KB...` appends one TSV row per
command (times in ms); `table ROWS_TSV` prints the Markdown table, each ratio against the mediactl row
of the same measure (ratio = tool median / mediactl median, so 40x means mediactl is 40 times faster,
or makes 40 times fewer calls)."""
import json
import sys


def rows(measure, unit, path, rss):
    with open(path) as f:
        results = json.load(f)["results"]
    for result, kb in zip(results, rss):
        print("\t".join([measure, result["command"], unit, "%.1f" % (result["median"] * 1000),
                         "%.1f" % (result["min"] * 1000), "%.1f" % (result["max"] * 1000), kb]))


def table(path):
    with open(path) as f:
        lines = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    base = {}
    for measure, tool, _, median, *_ in lines:
        if tool.startswith("mediactl") and measure not in base:
            base[measure] = float(median)
    out = ["| measure | tool | median | min | max | unit | ratio to mediactl | peak RSS MB |",
           "|---|---|---:|---:|---:|---|---:|---:|"]
    for measure, tool, unit, median, low, high, kb in lines:
        ratio = "1x" if tool.startswith("mediactl") else (
            "%.1fx" % (float(median) / base[measure]) if base.get(measure) else "-")
        rss = "%.1f" % (int(kb) / 1024) if kb.isdigit() else "-"
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (measure, tool, median, low, high, unit, ratio, rss))
    print("\n".join(out))


if __name__ == "__main__":
    if sys.argv[1] == "rows":
        rows(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    else:
        table(sys.argv[2])
