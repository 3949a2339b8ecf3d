// SPDX-License-Identifier: MIT
#pragma once

#include "scoreresult.h"

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
 * Every scored architecture as a point: score against the benchmark target (or, without a table, the parameter
 * count), coloured by parameter count. NaN-scored architectures sit in their own strip at the left, so they stay
 * visible; the readout under the plot states n, the NaN count and the policy of every correlation it shows (algorithm
 * §1.6).
 */
class ScatterPlot : public QWidget {
    Q_OBJECT
public:
    explicit ScatterPlot(ScoreTableModel* model, QWidget* parent = nullptr);

    /** Marks the row with ScoredArch::key() `key` as current; empty for none. */
    void setCurrentKey(const QString& key);
    QString nanPolicy() const;
    void setNanPolicy(const QString& policy);

    QCustomPlot* plot() const { return m_plot; }
    QString readoutText() const;
    /** Where the row with ScoredArch::key() `key` is drawn, in plot() coordinates; empty when it is not shown. */
    std::optional<QPoint> pointPosition(const QString& key) const;
    /** Rebuilds the points now instead of at the next coalesced update. */
    void refresh();

Q_SIGNALS:
    /** The user clicked the point of `arch`, a row under the benchmark id `id` (empty when it has none). */
    void archActivated(const epsinas::Arch& arch, const QString& id);
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
