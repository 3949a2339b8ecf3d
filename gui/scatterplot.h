// SPDX-License-Identifier: MIT
#pragma once

#include "spaces/nb101/spec.h"
#include "spaces/nb201/cell.h"
#include "spaces/nlp/recipe.h"

#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QCPAxisRect;
class QCPColorScale;
class QCPGraph;
class QCustomPlot;
class QLabel;
class QMouseEvent;
class QTimer;

namespace epsinas::gui {

class ScoreTableModel;

/**
 * Every scored cell as a point: score against the benchmark target (or, without a table, the parameter count),
 * coloured by parameter count. NaN-scored cells sit in their own strip at the left, so they stay visible; the
 * readout under the plot states n, the NaN count and the policy of every correlation it shows (spec §9.4).
 */
class ScatterPlot : public QWidget {
    Q_OBJECT
public:
    explicit ScatterPlot(ScoreTableModel* model, QWidget* parent = nullptr);

    void setCurrentCell(const nb201::Cell& cell);
    /** Marks the row with ScoredCell::key() `key` as current (any space). */
    void setCurrentKey(const QString& key);
    QString nanPolicy() const;
    void setNanPolicy(const QString& policy);

    QCustomPlot* plot() const { return m_plot; }
    QString readoutText() const;
    /** Where a scored cell is drawn, in plot() coordinates; empty when it is not shown. */
    std::optional<QPoint> pointPosition(const nb201::Cell& cell) const;
    /** The same for the row with ScoredCell::key() `key`. */
    std::optional<QPoint> pointPosition(const QString& key) const;
    /** Rebuilds the points now instead of at the next coalesced update. */
    void refresh();

Q_SIGNALS:
    /** The user clicked the point of `cell`. */
    void cellActivated(const epsinas::nb201::Cell& cell);
    /** The user clicked the point of an NB101 spec. */
    void specActivated(const epsinas::nb101::Spec& spec);
    /** The user clicked the point of an NLP recipe (`recipeId` empty when it has none). */
    void recipeActivated(const epsinas::nlp::Recipe& recipe, const QString& recipeId);
    void nanPolicyChanged(const QString& policy);

private:
    struct Point {
        double x = 0;
        double y = 0;
        int row = 0;
        bool nan = false;
    };
    void scheduleRefresh();
    void updateReadout();
    void updateCurrent(bool follow);
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
    QCPGraph* m_currentMain = nullptr;
    QCPGraph* m_currentNan = nullptr;
    QCheckBox* m_logX = nullptr;
    QCheckBox* m_logY = nullptr;
    QComboBox* m_policy = nullptr;
    QLabel* m_readout = nullptr;
    QTimer* m_refreshTimer = nullptr;
    std::vector<Point> m_points;
    QString m_currentKey;
    QPoint m_pressPosition;
    bool m_autoRange = true;
};

} // namespace epsinas::gui
