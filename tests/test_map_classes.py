"""Map classes and colours: breaks at the precision CBS publishes, colours that read on white."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitor import maps


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("direction", list(maps.PALETTES))
def test_every_class_colour_reads_on_white_and_darkens_steadily(direction):
    colours = maps.PALETTES[direction]
    assert contrast(colours[0], "#ffffff") >= 1.7  # YlGnBu's #ffffcc was 1.03:1
    lightness = [luminance(c) for c in colours]
    assert lightness == sorted(lightness, reverse=True)  # sequential: light to dark
    assert luminance(maps.MISSING_COLOR) > lightness[0]  # 'no value' lighter than any class


def test_breaks_never_finer_than_the_published_precision():
    # Unemployment as CBS publishes it (one decimal), bunched around 3%: the quantiles fall at
    # 2.9, 3.0, 3.0, 3.2; classes of one published step (2.9-3.0) must not appear.
    values = pd.Series([2.5, 2.7, 2.8, 2.9, 2.9, 2.95, 3.0, 3.0, 3.0, 3.0, 3.04, 3.1, 3.2,
                        3.3, 3.5, 4.1, 5.4, None])
    edges = maps.class_breaks(values, 5, 1)
    widths = np.diff(edges[:-1])
    assert (widths >= 0.2 - 1e-9).all(), edges
    assert all(round(e, 1) == e for e in edges)
    labels = maps.class_labels(edges, 1, "higher_is_better")
    classes = maps.assign_classes(values, edges, "higher_is_better", 1)
    # every value lies in the range its class label names (as published: rounded)
    for value, cls in zip(values, classes, strict=True):
        if pd.isna(value):
            assert cls == -1
            continue
        low, _, high = labels[cls].partition(" – ")
        low, high = (float(x.replace(",", ".")) for x in (low, high or low))
        assert low <= round(value, 1) <= high, (value, labels[cls])
    # the ranges follow each other without overlap
    bounds = [[float(x.replace(",", ".")) for x in label.split(" – ")] for label in labels]
    assert all(a[-1] < b[0] for a, b in zip(bounds[:-1], bounds[1:], strict=True))


def test_spread_out_values_keep_five_classes():
    values = pd.Series(np.linspace(10, 90, 200))
    assert len(maps.class_breaks(values, 5, 0)) == 6


def test_pilot_labels_sit_inside_their_region():
    import shapely.geometry

    square = {"type": "Polygon", "coordinates": [[[5, 52], [6, 52], [6, 53], [5, 53], [5, 52]]]}
    ring = {"type": "Polygon", "coordinates": [
        [[4, 51], [7, 51], [7, 54], [4, 54], [4, 51]],
        [[4.5, 51.5], [6.5, 51.5], [6.5, 53.5], [4.5, 53.5], [4.5, 51.5]]]}
    geo = {"features": [{"id": "A", "geometry": square}, {"id": "B", "geometry": ring}]}
    labels = maps.region_labels(geo, {"A": "Metropoolregio Amsterdam (MRA)", "B": "U10 / U16"})
    assert [label[2] for label in labels] == ["Metropoolregio\nAmsterdam", "U10"]
    hole_safe = shapely.geometry.shape(ring)
    assert hole_safe.contains(shapely.geometry.Point(labels[1][0], labels[1][1]))
