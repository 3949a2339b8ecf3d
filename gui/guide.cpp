// SPDX-License-Identifier: MIT
#include "guide.h"

#include "scoringconfig.h"
#include "space/searchspace.h"

#include <QCoreApplication>

namespace epsinas::gui {

namespace {
QString tr(const char* text)
{
    return QCoreApplication::translate("Guide", text);
}
} // namespace

QString guideHtml(const QList<Shortcut>& shortcuts, const QList<const SearchSpace*>& spaces)
{
    QString html = tr("<h2>epsinas explorer</h2>"
                      "<h3>The metric in five sentences</h3>"
                      "<ol>"
                      "<li>epsinas judges an <i>untrained</i> network: every weight is set to one constant.</li>"
                      "<li>The network runs twice on one unlabelled batch, once with a tiny weight w_lo and once with "
                      "a large one w_hi.</li>"
                      "<li>Each run's outputs are min-max normalised to lie between 0 and 1.</li>"
                      "<li>The score is the mean absolute difference of the two normalised outputs divided by their "
                      "mean: architectures whose output reacts strongly to the weight score high.</li>"
                      "<li>Higher scores go with higher trained accuracy (Spearman ρ 0.87 on NAS-Bench-201 CIFAR-10); "
                      "a score is NaN when a run's outputs are all equal, e.g. when float32 underflows to 0 at "
                      "w_lo.</li>"
                      "</ol>");

    html += tr("<h3>What each view shows</h3>"
               "<ul>"
               "<li><b>Cell</b>: the architecture as an editable graph. Click or right-click an edge or node to "
               "change its operation; every edit is scored at once in the background.</li>"
               "<li><b>Score</b>: the current score and four histograms: the raw outputs at w_lo and at w_hi, both "
               "normalised outputs overlaid, and the absolute difference per sample with its mean.</li>"
               "<li><b>Scatter</b>: every scored architecture, score against the benchmark's trained accuracy or "
               "loss (against the parameter count until a table is loaded). NaN scores sit in the strip on the "
               "left; the ringed point is the architecture in the editor. Click a point to load it.</li>"
               "<li><b>Scores</b>: the same architectures as a sortable table; double-click a row to load it.</li>"
               "<li><b>Search</b>: random search and ageing evolution over the table's scored architectures, with "
               "the score as a zero-cost guide: the best target found after each query (mean and spread over "
               "runs) against plain random search and the table's best. Load Best puts the most often chosen "
               "architecture in the editor; the scatter rings what the first run visited.</li>"
               "</ul>"
               "<p>Hold the mouse over any control for a tooltip, or press Shift+F1 and click it for a longer "
               "explanation.</p>");

    html += tr("<h3>Loading data</h3>"
               "<p><b>File → Open Benchmark Table</b> reads a CSV of trained results and plots the scores against "
               "the column you choose (Ctrl+T picks another). Its key column names the architectures:</p><ul>");
    for (const SearchSpace* space : spaces) {
        const WeightPair weights = space->defaultWeights();
        const QString key = QString::fromStdString(space->tableKeyColumn());
        html += tr("<li><b>%1</b>: %2; weights w_lo = %3, w_hi = %4.</li>")
                    .arg(QString::fromStdString(space->name()).toHtmlEscaped(),
                        key.isEmpty() ? tr("the architecture's text")
                                      : tr("column <code>%1</code>").arg(key.toHtmlEscaped()),
                        weightText(weights.low), weightText(weights.high));
    }
    html += tr("</ul><p><b>Edit → Settings → Input</b> chooses the batch the networks see. The default is a "
               "synthetic batch (a grey ramp for images), which needs no files but ranks some spaces worse than "
               "real data: on NAS-Bench-101 it reaches ρ ≈ 0.31 against 0.68 with a CIFAR-10 batch. Choose a "
               "CIFAR-10 binary file (e.g. <code>data_batch_1.bin</code>) or, for NAS-Bench-NLP, the Penn "
               "Treebank text files.</p>"
               "<p><b>File → Save Session</b> keeps the space, architecture, input, weights, table and view in a "
               "small file you can open again or pass on the command line.</p>");

    html += tr("<h3>Keyboard shortcuts</h3><table cellspacing=\"0\" cellpadding=\"3\">");
    for (const Shortcut& shortcut : shortcuts)
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(shortcut.keys.toHtmlEscaped(), shortcut.command.toHtmlEscaped());
    html += QStringLiteral("</table>");
    return html;
}

} // namespace epsinas::gui
