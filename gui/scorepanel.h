// SPDX-License-Identifier: MIT
#pragma once

#include "scoreresult.h"

#include <QWidget>

class QCheckBox;
class QCustomPlot;
class QCPAxisRect;
class QCPBars;
class QCPItemStraightLine;
class QCPItemText;
class QLabel;

namespace epsinas::gui {

/**
 * Why a cell scores what it scores: the score, MAE and mean, the NaN reason in words, and histograms of what the
 * score is made of (raw outputs per weight, both normalised rows, and |Δ| per sample).
 */
class ScorePanel : public QWidget {
    Q_OBJECT
public:
    explicit ScorePanel(QWidget* parent = nullptr);

    /** Shows a result; `weights`/`precision` are those it was computed with (the histograms recompute the rows). */
    void showResult(const ScoreResult& result, const WeightPair& weights, Precision precision);
    /** The shown numbers belong to another cell or config now; says so until the next result. */
    void markStale(const QString& why);
    void showError(const QString& message);
    /** The current cell has no score (e.g. an invalid NB101 cell), and why. */
    void showNotScored(const QString& why);

    bool logMagnitude() const;
    void setLogMagnitude(bool on);
    QCustomPlot* plot() const { return m_plot; }
    /** The score as shown (for tests and screenshots). */
    QString scoreText() const;

Q_SIGNALS:
    void logMagnitudeChanged(bool on);

private:
    struct Histogram {
        QCPAxisRect* rect = nullptr;
        QCPBars* bars = nullptr;
        QCPBars* second = nullptr;
        QCPItemText* note = nullptr;
    };
    Histogram addHistogram(int row, int column, const QColor& color, const QColor& second = {});
    void fillRaw(Histogram& histogram, const std::vector<double>& outputs, const QString& weight);
    void showProblem(const QString& state, const QString& message);
    void redraw();
    void setDimmed(bool dimmed);

    QLabel* m_score = nullptr;
    QLabel* m_details = nullptr;
    QLabel* m_reason = nullptr;
    QLabel* m_state = nullptr;
    QCheckBox* m_logMagnitude = nullptr;
    QCustomPlot* m_plot = nullptr;
    Histogram m_low;
    Histogram m_high;
    Histogram m_normalised;
    Histogram m_delta;
    QCPItemStraightLine* m_maeLine = nullptr;
    ScoreResult m_result;
    WeightPair m_weights;
    Precision m_precision = Precision::Float32;
    bool m_hasResult = false;
};

} // namespace epsinas::gui
