// SPDX-License-Identifier: MIT
#pragma once

#include "scoreresult.h"
#include "scoringconfig.h"

#include <QList>
#include <QWidget>

#include <optional>

class QCheckBox;
class QCustomPlot;
class QCPAxisRect;
class QCPBars;
class QCPItemStraightLine;
class QCPItemText;
class QCPLegend;
class QLabel;
class QPushButton;

namespace epsinas::gui {

class FixedLinesLabel;

/** Where an architecture stands in a loaded benchmark table, by one target column. */
struct Standing {
    /** The target column, as the table names it. */
    QString target;
    /** The architecture's own value in that column. */
    double value = 0;
    /** 1 = best of the table (respecting lower-is-better); ties share the best rank of their group. */
    int rank = 0;
    /** The table's architectures with a finite value in the column, the architecture included. */
    int count = 0;
    /** 100 · rank / count: the best of 10,000 is in the top 0.01 %, the worst in the top 100 %. */
    double topPercent = 0;
};

/**
 * The standing of `value` among `values` (the column's values, one per table architecture, `value`'s own among
 * them, as QHash::values() gives them): rank = 1 + the
 * number of finite values strictly better, so tied architectures share the best rank of their group ("1224"
 * ranking). NaN values are not counted; nullopt when `value` is not finite.
 */
std::optional<Standing> standingAmong(
    const QString& target, double value, const QList<double>& values, bool lowerIsBetter);

/**
 * What the panel says about the input of `config` when it is a synthetic default (the grey ramp, noise, the
 * generated token batch) rather than a real batch, and what that is known to cost; empty for a real batch.
 */
QString syntheticInputNote(const ScoringConfig& config);

/**
 * Why `score` is NaN, in words a new user can follow, judged from its raw outputs and, where the space can tell,
 * whether its structure has an input -> output path (SearchSpace::hasInputOutputPath). That tells the usual cases
 * apart: no path (every output 0 at both weights); every path through a convolution, so the signal underflows to 0
 * at w_lo only; outputs equal for another reason. Empty for a number; the core's nanReason without raw outputs.
 */
QString explainNan(
    const ArchScore& score, const WeightPair& weights, Precision precision, std::optional<bool> hasInputOutputPath);

/**
 * Why a cell scores what it scores: the score, MAE and mean, the NaN reason in words, where the cell stands in a
 * loaded table, a note on a synthetic input, and histograms of what the score is made of (raw outputs per weight,
 * both normalised rows, and |Δ| per sample). Every text line has a fixed height, so the histograms never move.
 * An architecture can be pinned: every result shown after it is compared with it (both scores and their difference
 * on the compare line, the pinned distributions outlined over the current ones in the same bins).
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
    /** The current architecture's standing in the loaded table; nullopt: a table is loaded but does not have it. */
    void setStanding(const std::optional<Standing>& standing);
    /** No table is loaded: the standing line is empty. */
    void clearStanding();
    /** The line about the input (syntheticInputNote()); empty for none. */
    void setInputNote(const QString& note);
    /**
     * Compares every result shown from now on with `result` (computed with `weights`/`precision`, which may differ
     * from the current result's): its histograms are outlined over the current ones and the compare line gives both
     * scores and their difference. Pinning again replaces the pinned architecture.
     */
    void pin(const ScoreResult& result, const WeightPair& weights, Precision precision);
    /** Stops comparing: the outlines go and the compare line is empty (its space stays, so nothing moves). */
    void unpin();
    bool isPinned() const { return m_isPinned; }
    /** The pinned result; meaningful while isPinned(). */
    const ScoreResult& pinned() const { return m_pinned; }

    bool logMagnitude() const;
    void setLogMagnitude(bool on);
    QCustomPlot* plot() const { return m_plot; }
    /** The texts as shown in full (elided lines show the rest in their tooltip), for tests and screenshots. */
    QString scoreText() const;
    QString detailsText() const;
    QString messageText() const;
    QString standingText() const;
    QString inputNoteText() const;
    /** The compare line in full, the pinned architecture's whole text included; empty when nothing is pinned. */
    QString compareText() const;
    /**
     * The outline of the pinned architecture in histogram `index` (0 raw w_lo, 1 raw w_hi, 2 normalised, 3 |Δ|);
     * `second`: the normalised plot's w_hi row. Its bins are those of the current bars in the same histogram.
     */
    QCPBars* pinnedBars(int index, bool second = false) const;

Q_SIGNALS:
    void logMagnitudeChanged(bool on);
    /** The Explain button was pressed: the explainer should walk through the shown score. */
    void explainRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Histogram {
        QCPAxisRect* rect = nullptr;
        QCPBars* bars = nullptr;
        QCPBars* second = nullptr;
        /** The pinned architecture's outlines over `bars` and `second`. */
        QCPBars* pinned = nullptr;
        QCPBars* pinnedSecond = nullptr;
        QCPItemText* note = nullptr;
        /** What the histogram shows, for its tooltip. */
        QString help;
    };
    Histogram addHistogram(int row, int column, const QColor& color, const QColor& second = {});
    void fillRaw(Histogram& histogram, const std::vector<double>& outputs, const std::vector<double>* pinned,
        const QString& weight);
    void updateCompare();
    void showProblem(const QString& state, const QString& message);
    void clearHistograms();
    void redraw();
    void setDimmed(bool dimmed);

    QLabel* m_score = nullptr;
    FixedLinesLabel* m_state = nullptr;
    FixedLinesLabel* m_details = nullptr;
    FixedLinesLabel* m_message = nullptr;
    FixedLinesLabel* m_standing = nullptr;
    FixedLinesLabel* m_inputNote = nullptr;
    FixedLinesLabel* m_compare = nullptr;
    QCheckBox* m_logMagnitude = nullptr;
    QPushButton* m_explain = nullptr;
    QCustomPlot* m_plot = nullptr;
    Histogram m_low;
    Histogram m_high;
    Histogram m_normalised;
    Histogram m_delta;
    QCPItemStraightLine* m_maeLine = nullptr;
    QCPItemStraightLine* m_pinnedMaeLine = nullptr;
    QCPLegend* m_legend = nullptr;
    ScoreResult m_result;
    WeightPair m_weights;
    Precision m_precision = Precision::Float32;
    bool m_hasResult = false;
    /** Why the current architecture has no result (showProblem), for the compare line; empty with a result. */
    QString m_problem;
    ScoreResult m_pinned;
    WeightPair m_pinnedWeights;
    Precision m_pinnedPrecision = Precision::Float32;
    bool m_isPinned = false;
    bool m_dimmed = false;
    /** The histograms' least height at the desk's text size, and that size's line spacing. */
    int m_plotMinimumHeight = 0;
    int m_deskLineSpacing = 1;
};

} // namespace epsinas::gui
