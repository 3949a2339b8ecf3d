// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class QCustomPlot;

namespace epsinas::gui {

/** File-dialog filter for the formats exportPlot() writes. */
QString plotExportFilter();

/** Saves `plot` as PNG, SVG or PDF by the suffix of `path`; returns an empty string or why it failed. */
QString exportPlot(QCustomPlot* plot, const QString& path);

} // namespace epsinas::gui
