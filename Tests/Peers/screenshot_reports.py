"""Writes a full-page screenshot of each HTML report beside it: Reports/x/report.html gets
Reports/x/report.png, taken in headless Chromium 1280 px wide.

Usage: screenshot_reports.py REPORT.html...
"""
import os
import sys

from browser import open_page


def main():
    reports = sys.argv[1:]
    if not reports:
        sys.exit("usage: screenshot_reports.py REPORT.html...")
    missing = [report for report in reports if not os.path.isfile(report)]
    if missing:
        sys.exit(f"no such report: {', '.join(missing)}")
    for report in reports:
        screenshot = os.path.splitext(report)[0] + ".png"
        open_page(report, screenshot=screenshot)
        print(f"wrote {screenshot}")


if __name__ == "__main__":
    main()
