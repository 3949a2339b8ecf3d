// SPDX-License-Identifier: MIT
#pragma once

#include "benchmark.h"
#include "scoreresult.h"

#include <QSet>
#include <QStringList>
#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QCPAxisRect;
class QCPColorScale;
class QCPGraph;
class QCPItemRect;
class QCPLegend;
class QCustomPlot;
class QKeyEvent;
class QLabel;
class QMouseEvent;
class QTimer;

namespace epsinas::gui {

class ScoreTableModel;

/**
 * Every scored architecture as a point: score against the benchmark target (or, without a table, the parameter
 * count), coloured by parameter count. NaN-scored architectures sit in their own strip at the left, so they stay
 * visible; the readout under the plot states n, the NaN count and the policy of every correlation it shows (algorithm
 * §1.6). The correlations are over the scored set only: hand edits (ScoreTableModel::Origin::Edit) are drawn as
 * hollow grey points and the current architecture as a ring, but never counted.
 *
 * For teaching and comparing, it also marks the trail of the last visited architectures (fading with age), a pinned
 * architecture (a diamond), the k best-scored rows (green rings) and a brushed region's points (cyan squares).
 *
 * From the keyboard: the arrow keys select the nearest point in their direction, Enter loads it (archActivated),
 * Home fits the view to all points, + and − zoom, Escape drops the selection and the brush.
 * With the mouse: hover a point for its details, click it to load it, drag to pan, wheel to zoom, double-click to
 * fit, Shift+drag on the main plot to brush a rectangle (brushed).
 */
class ScatterPlot : public QWidget {
    Q_OBJECT
public:
    explicit ScatterPlot(ScoreTableModel* model, QWidget* parent = nullptr);

    /** How many visited architectures the trail keeps; older ones are dropped. */
    static constexpr int kTrailLength = 12;

    /**
     * Marks the row with ScoredArch::key() `key` as current; empty for none. A new non-empty key puts the previous
     * non-empty one on the trail (moved to its newest end when it was there already).
     */
    void setCurrentKey(const QString& key);
    /** The trail's row keys, oldest first, at most kTrailLength; keys whose row is gone are kept but not drawn. */
    const QStringList& trailKeys() const { return m_trailKeys; }
    /** Empties the trail; the current architecture starts the next one. Clearing the model clears it too. */
    void clearTrail();
    /** The opacity (0 to 1) the trail marker of `key` is drawn with, newest strongest; nullopt when not drawn. */
    std::optional<double> trailOpacity(const QString& key) const;
    /** Marks the row with ScoredArch::key() `key` as pinned (a diamond), to compare with the current one; empty: none.
     */
    void setPinnedKey(const QString& key);
    QString pinnedKey() const { return m_pinnedKey; }
    /**
     * Selects the first drawn row matching `query` (trimmed), as the arrow keys do, and recentres the view on it when
     * it is outside; Enter then loads it. A row matches by its benchmark id (ScoreTableModel::benchmarkId, or
     * ScoredArch::id), else by its text (ScoredArch::text()) exactly, else by text containing the query, ignoring
     * case; in that order, each in row order. Gives the plot the keyboard focus. False when no drawn row matches.
     */
    bool findArch(const QString& query);
    /** Rings the `k` best-scored rows (highest score, NaN never, ties by row order); 0 rings none. */
    void setTopK(int k);
    int topK() const { return m_topK; }
    /** The row keys setTopK() rings, best first, over all rows of the model (hand edits included). */
    QStringList topKKeys() const;
    /**
     * The row keys of the points the last Shift+drag enclosed: the main plot's points whose drawn pixel lies in the
     * rectangle (the NaN strip is never brushed), in row order.
     */
    const QStringList& brushedKeys() const { return m_brushedKeys; }
    /** Drops the brush; emits brushed({}) when there was one. */
    void clearBrush();
    QString nanPolicy() const;
    void setNanPolicy(const QString& policy);
    /**
     * What the points' colour shows: "parameters" or "flops" (SearchSpace::flops; parameters where the space does
     * not count FLOPs). Remembered in the settings.
     */
    QString colourBy() const;
    void setColourBy(const QString& quantity);
    /** The colour scale's label, which names what the colours show. */
    QString colourLabel() const;

    QCustomPlot* plot() const { return m_plot; }
    QString readoutText() const;
    /**
     * The set's statistics in one line for a figure caption: n, the NaN count, Spearman ρ and Kendall τ against the
     * target (or the parameter count) and the NaN policy.
     */
    QString statisticsCaption() const;
    /** The row key of the point the keyboard selected; empty for none. */
    QString selectedKey() const;
    /** Where the row with ScoredArch::key() `key` is drawn, in plot() coordinates; empty when it is not shown. */
    std::optional<QPoint> pointPosition(const QString& key) const;
    /** Rebuilds the points now instead of at the next coalesced update. */
    void refresh();
    /**
     * Rings the rows whose ScoredArch::key() is in `keys` (e.g. the architectures a search visited), named `label` in
     * the legend; an empty set rings none and leaves the legend as it was.
     */
    void setHighlightedKeys(const QSet<QString>& keys, const QString& label);
    const QSet<QString>& highlightedKeys() const { return m_highlightedKeys; }
    /** How many shown points are ringed. */
    int highlightedPointCount() const;

Q_SIGNALS:
    /**
     * The user clicked the point of `arch`, or pressed Enter on it, a row under the benchmark id `id` (empty when it
     * has none).
     */
    void archActivated(const epsinas::Arch& arch, const QString& id);
    void nanPolicyChanged(const QString& policy);
    /** A Shift+drag enclosed the points of the rows `keys` (ScoredArch::key()); empty when the brush is cleared. */
    void brushed(const QStringList& keys);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Point {
        double x = 0;
        double y = 0;
        int row = 0;
        bool nan = false;
    };
    /** The statistics of the set, computed once per readout, for the readout and the caption. */
    struct Statistics {
        int rows = 0;
        int nans = 0;
        Correlation correlation;
        Correlation baseline;
    };
    void scheduleRefresh();
    Statistics statistics() const;
    void updateReadout();
    void updateCurrent(bool follow);
    /** Puts the rings of the highlighted keys on their points. */
    void updateHighlight();
    /** Puts the trail's, the pinned, the top-k and the brushed markers on their points. */
    void updateTeachingMarkers();
    /** Adds `graph` to the legend when `shown`, else removes it. */
    void showInLegend(QCPGraph* graph, bool shown);
    void onBrushAccepted(const QRect& rectangle);
    /** Shows `point` (nullptr: none) as the marker `main`/`nan`; recentres on it when `follow` and it is outside. */
    void showMarker(const Point* point, QCPGraph* main, QCPGraph* nan, bool follow);
    const Point* pointOfRow(int row) const;
    /** The drawn point of every model row, by row; nullptr where a row is not drawn. */
    std::vector<const Point*> pointsByRow() const;
    void select(const Point* point);
    /** The nearest point from the selection in the direction (`dx`, `dy`), in pixels; nullptr when none is. */
    const Point* neighbour(const Point& from, int dx, int dy) const;
    bool handleKey(QKeyEvent* event);
    void zoom(double factor);
    void fit();
    void showFocus(bool focused);
    QString toolTipOf(const Point& point) const;
    QPointF pixelOf(const Point& point) const;
    const Point* pointAt(const QPoint& position) const;
    void onMouseMove(QMouseEvent* event);
    void onMousePress(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);
    void applyScales();

    ScoreTableModel* m_model;
    QCustomPlot* m_plot = nullptr;
    QCPAxisRect* m_mainRect = nullptr;
    QCPAxisRect* m_nanRect = nullptr;
    QCPColorScale* m_colorScale = nullptr;
    std::vector<QCPGraph*> m_mainGraphs;
    std::vector<QCPGraph*> m_nanGraphs;
    QCPGraph* m_editMain = nullptr;
    QCPGraph* m_editNan = nullptr;
    QCPGraph* m_currentMain = nullptr;
    QCPGraph* m_currentNan = nullptr;
    QCPGraph* m_selectedMain = nullptr;
    QCPGraph* m_selectedNan = nullptr;
    QCPGraph* m_highlightMain = nullptr;
    QCPGraph* m_highlightNan = nullptr;
    // The trail's markers by age: [0] is the newest, drawn strongest.
    std::vector<QCPGraph*> m_trailMain;
    std::vector<QCPGraph*> m_trailNan;
    QCPGraph* m_pinnedMain = nullptr;
    QCPGraph* m_pinnedNan = nullptr;
    QCPGraph* m_topKMain = nullptr;
    QCPGraph* m_brushMain = nullptr;
    QCPLegend* m_legend = nullptr;
    QCPItemRect* m_focusFrame = nullptr;
    QCheckBox* m_logX = nullptr;
    QCheckBox* m_logY = nullptr;
    QComboBox* m_policy = nullptr;
    QComboBox* m_colourBy = nullptr;
    QLabel* m_readout = nullptr;
    QTimer* m_refreshTimer = nullptr;
    std::vector<Point> m_points;
    QString m_currentKey;
    QString m_selectedKey;
    QSet<QString> m_highlightedKeys;
    // The last non-empty current key: the one the next visit puts on the trail.
    QString m_visitedKey;
    QStringList m_trailKeys;
    QString m_pinnedKey;
    int m_topK = 0;
    QStringList m_brushedKeys;
    // Whether the press under way started a Shift+drag brush rather than a pan.
    bool m_brushing = false;
    QPoint m_pressPosition;
    bool m_autoRange = true;
};

} // namespace epsinas::gui
