// SPDX-License-Identifier: MIT
#pragma once

#include "scoreresult.h"
#include "scoringconfig.h"

#include <QString>
#include <QWidget>

#include <optional>
#include <vector>

class QCustomPlot;
class QLabel;
class QPushButton;
class QStackedWidget;

namespace epsinas::gui {

class NetworkDiagram;
class ScoreTableModel;

/** A run of consecutive layers that differ only in their trailing number ("cell 1" … "cell 5"), drawn as one box. */
struct LayerGroup {
    /** "cell 1–5", "reduction 1", "layer 2, step 1–70". */
    QString label;
    int first = 0;
    int last = 0;
    /** The w_lo signal is exactly 0 after the group's last layer (so from there on). */
    bool lowZero = false;
    bool highZero = false;
};

/** Groups `layers` for drawing: every maximal run of names "<base> <n>" with one base becomes one group. */
std::vector<LayerGroup> groupLayers(const std::vector<LayerSignal>& layers);

/**
 * "Explain this score": a guided walk through how the current architecture gets its score, one step at a time and
 * every step live (an edit while explaining updates the step shown):
 *  1. the network the architecture builds, with the constant weights set on it;
 *  2. the signal flow: mean and max |x| after every layer at w_lo and w_hi on a log axis, where a float32
 *     underflow to exactly 0 is named;
 *  3. the raw outputs per sample, 4. their min-max normalisation and the reference's zero-to-NaN rule, 5. |Δ| per
 *     sample and its mean (MAE), 6. the ratio MAE ÷ mean, each with its numbers, one plain sentence and the formula
 *     with the current values in it;
 *  7. where the score falls among the scored architectures and what its rank predicts for the benchmark target.
 * Back and Next (or ←/→, Page Up/Down, Home/End while it has the focus) move between the steps. A pinned
 * architecture's signal flow is drawn under the current one's, for comparison.
 */
class ExplainPanel : public QWidget {
    Q_OBJECT
public:
    enum Step { Network, SignalFlow, RawOutputs, Normalise, Difference, Ratio, Standing, StepCount };

    explicit ExplainPanel(ScoreTableModel* model, QWidget* parent = nullptr);

    /** Shows a result; `weights`/`precision` are those it was computed with. Its signal flow follows separately. */
    void showResult(const ScoreResult& result, const WeightPair& weights, Precision precision);
    /** The signal flow of the result last shown (the same generation); others are ignored. */
    void showSignalFlow(quint64 generation, const epsinas::SignalFlow& flow);
    /** The shown numbers belong to another architecture now (an edit is being scored). */
    void markStale(const QString& why);
    /** The current architecture cannot be scored, and why. */
    void showNotScored(const QString& why);
    /** The row key of the current architecture in the model (ScoredArch::key()), for the standing step. */
    void setCurrentKey(const QString& key);
    /** A pinned architecture to compare with (its name and signal flow); nullopt: none. */
    void setPinned(const QString& name, const std::optional<epsinas::SignalFlow>& flow);
    void clearPinned();

    int step() const { return m_step; }
    void setStep(int step);
    void next() { setStep(m_step + 1); }
    void back() { setStep(m_step - 1); }
    bool hasSignalFlow() const { return m_flow.has_value(); }
    /** The result shown, or nullptr when none is (nothing scored yet, or the architecture cannot be scored). */
    const ScoreResult* shownResult() const { return m_hasResult ? &m_result : nullptr; }
    /** The weights and precision the shown result was computed with. */
    const WeightPair& shownWeights() const { return m_weights; }
    Precision shownPrecision() const { return m_precision; }
    /** Its traced signal flow, once it has arrived. */
    const std::optional<epsinas::SignalFlow>& signalFlow() const { return m_flow; }

    /** The texts of the step shown, as displayed (for tests and screenshots). */
    QString titleText() const;
    QString sentenceText() const;
    QString formulaText() const;
    QCustomPlot* plot() const { return m_plot; }
    NetworkDiagram* diagram() const { return m_diagram; }

Q_SIGNALS:
    void stepChanged(int step);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void render();
    void renderNetwork();
    void renderSignalFlow();
    void renderRawOutputs();
    void renderNormalise();
    void renderDifference();
    void renderRatio();
    void renderStanding();
    /** Empties the plot and gives it one fresh axis rect. */
    void resetPlot();
    void setTexts(const QString& sentence, const QString& formula);

    ScoreTableModel* m_model;
    QLabel* m_title = nullptr;
    QLabel* m_state = nullptr;
    QPushButton* m_back = nullptr;
    QPushButton* m_next = nullptr;
    QStackedWidget* m_pages = nullptr;
    NetworkDiagram* m_diagram = nullptr;
    QCustomPlot* m_plot = nullptr;
    QLabel* m_sentence = nullptr;
    QLabel* m_formula = nullptr;

    int m_step = Network;
    bool m_hasResult = false;
    ScoreResult m_result;
    WeightPair m_weights;
    Precision m_precision = Precision::Float32;
    std::optional<epsinas::SignalFlow> m_flow;
    QString m_currentKey;
    QString m_pinnedName;
    std::optional<epsinas::SignalFlow> m_pinnedFlow;
};

/** The network as a row of boxes (one per LayerGroup), the constant weights written under it. */
class NetworkDiagram : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;
    void setGroups(std::vector<LayerGroup> groups, const QString& caption);
    const std::vector<LayerGroup>& groups() const { return m_groups; }
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<LayerGroup> m_groups;
    QString m_caption;
};

} // namespace epsinas::gui
