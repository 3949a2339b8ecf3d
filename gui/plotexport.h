// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class QCustomPlot;
class QWidget;

namespace epsinas::gui {

/** The plot layer of what only the screen shows (the focus frame, the keyboard selection): exports leave it out. */
constexpr char kScreenOnlyLayer[] = "screenOnly";

/** How a plot is exported: the figure's size, its resolution and a caption above it. */
struct PlotExportOptions {
    /** The figure's size in inches; 0 for the plot's size on screen (at 96 dots per inch). */
    double widthInches = 0;
    double heightInches = 0;
    /** Dots per inch of a PNG (its pixels are the size times this); PDF and SVG keep their size in inches. */
    int dpi = 192;
    /** Drawn above the plot, wrapped to its width; empty for none. */
    QString caption;

    /** The options last chosen in exportOptionsDialog() (QSettings "Export/…"), without a caption. */
    static PlotExportOptions remembered();
    void remember() const;
};

/** File-dialog filter for the formats exportPlot() writes. */
QString plotExportFilter();

/**
 * `path` with the extension of the file dialog's selected filter (one of plotExportFilter()) appended when `path`
 * has no extension exportPlot() knows; a dialog returns a bare name as typed.
 */
QString withFilterSuffix(const QString& path, const QString& selectedFilter);

/**
 * Saves `plot`, without its kScreenOnlyLayer, as PNG, SVG or PDF by the suffix of `path`; returns an empty string or
 * why it failed. It writes a
 * temporary file and renames it over `path` only when all of it was written, so a failure leaves no file, or the
 * old one, behind.
 */
QString exportPlot(QCustomPlot* plot, const QString& path, const PlotExportOptions& options = {});

/**
 * Asks for the size, resolution and caption of an export to `path`, starting from `options` (its caption is the
 * proposed one); returns false when the user cancels. What is chosen is remembered for the next export.
 */
bool exportOptionsDialog(QWidget* parent, const QString& path, PlotExportOptions& options);

/**
 * The whole export as a menu action runs it: a file dialog, the options, the export, a message when it failed.
 * `what` names the plot ("scatter"), `caption` is proposed as the figure's caption.
 */
void exportPlotInteractively(QWidget* parent, QCustomPlot* plot, const QString& what, const QString& caption);

} // namespace epsinas::gui
