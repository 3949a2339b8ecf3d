// SPDX-License-Identifier: MIT
#include "settings.h"

#include "score/runtime.h"
#include "spaces/nb101/space.h"
#include "spaces/nlp/space.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace epsinas::gui {

namespace {
const char* const kDefaultInput = "grey";
// The golden token batch of spec §7: needs no data files; PTB text is one setting away.
const char* const kDefaultTokens = "synthetic";
// The reference batch (spec §2); small inputs score faster but rank differently.
constexpr int kDefaultBatch = 256;
// Cells scored in the background on first launch, so the scatter is never empty for long.
constexpr int kDefaultSample = 300;

/** Weights are per space (spec §2 gives each its own); NB201's key predates the other spaces. */
QString weightsKey(Space space)
{
    return space == Space::Nb201 ? QStringLiteral("Scoring/weights")
                                 : QStringLiteral("Scoring/%1/weights").arg(spaceKey(space));
}

} // namespace

Settings::Settings(QObject* parent)
    : QObject(parent)
{
}

Settings& Settings::instance()
{
    static Settings settings;
    return settings;
}

ScoringConfig Settings::scoringConfig() const
{
    QSettings store;
    ScoringConfig config;
    config.space = space();
    try {
        config.input = InputSpec::parse(store.value("Scoring/input", kDefaultInput).toString().toStdString());
    } catch (const std::exception&) {
        config.input = InputSpec::parse(kDefaultInput);
    }
    config.input.offset = store.value("Scoring/inputOffset", 0).toLongLong();
    if (m_sessionInput)
        config.input = *m_sessionInput;
    try {
        config.tokens = TokenSpec::parse(store.value("Scoring/nlp/input", kDefaultTokens).toString().toStdString());
    } catch (const std::exception&) {
        config.tokens = TokenSpec::parse(kDefaultTokens);
    }
    if (m_sessionTokens)
        config.tokens = *m_sessionTokens;
    config.input.batch = std::max(1, store.value("Scoring/batch", kDefaultBatch).toInt());
    try {
        config.options.weights = parseWeightPair(
            store.value(weightsKey(config.space), QString::fromStdString(toString(defaultWeights(config.space))))
                .toString()
                .toStdString());
        config.options.precision = parsePrecision(store.value("Scoring/precision", "fp32").toString().toStdString());
        config.options.evaluator
            = parseEvaluatorKind(store.value("Scoring/evaluator", "fast").toString().toStdString());
    } catch (const std::exception&) {
        // A hand-edited settings file with a bad value falls back to the reference behaviour.
        config.options = ScoreOptions {};
        config.options.weights = defaultWeights(config.space);
    }
    const QString device = deviceChoice();
    config.options.device = (device == "cuda" || (device == "auto" && cudaAvailable())) ? Device::Cuda : Device::Cpu;
    config.options.threads = std::max(0, store.value("Scoring/threads", 0).toInt());
    config.storePath = storePath();
    return config;
}

void Settings::setScoringConfig(const ScoringConfig& config, const QString& deviceChoice)
{
    QSettings store;
    InputSpec input = config.input;
    store.setValue("Scoring/inputOffset", qlonglong(input.offset));
    store.setValue("Scoring/input", QString::fromStdString(input.toString()));
    store.setValue("Scoring/batch", input.batch);
    store.setValue("Scoring/nlp/input", QString::fromStdString(config.tokens.toString()));
    store.setValue(weightsKey(config.space), QString::fromStdString(toString(config.options.weights)));
    store.setValue("Scoring/precision", QString::fromStdString(toString(config.options.precision)));
    store.setValue("Scoring/evaluator", QString::fromStdString(toString(config.options.evaluator)));
    store.setValue("Scoring/device", deviceChoice);
    store.setValue("Scoring/threads", config.options.threads);
    m_sessionInput.reset();
    m_sessionTokens.reset();
    Q_EMIT changed();
}

QString Settings::deviceChoice() const
{
    return QSettings().value("Scoring/device", "auto").toString();
}

void Settings::setSessionInput(const InputSpec& input)
{
    m_sessionInput = input;
    Q_EMIT changed();
}

void Settings::setSessionTokens(const TokenSpec& tokens)
{
    m_sessionTokens = tokens;
    Q_EMIT changed();
}

QString Settings::nanPolicy() const
{
    return QSettings().value("Scoring/nanPolicy", "exclude").toString();
}

void Settings::setNanPolicy(const QString& policy)
{
    QSettings().setValue("Scoring/nanPolicy", policy);
    Q_EMIT changed();
}

int Settings::sampleSize() const
{
    return QSettings().value("Scoring/sampleSize", kDefaultSample).toInt();
}

void Settings::setSampleSize(int cells)
{
    QSettings().setValue("Scoring/sampleSize", cells);
}

Space Settings::space() const
{
    return parseSpace(QSettings().value("Editor/space").toString()).value_or(Space::Nb201);
}

void Settings::setSpace(Space space)
{
    if (space == this->space())
        return;
    QSettings().setValue("Editor/space", spaceKey(space));
    Q_EMIT changed();
}

QString Settings::lastSpec() const
{
    return QSettings().value("Editor/nb101Spec").toString();
}

void Settings::setLastSpec(const QString& spec)
{
    QSettings().setValue("Editor/nb101Spec", spec);
}

QString Settings::lastRecipe() const
{
    return QSettings().value("Editor/nlpRecipe").toString();
}

void Settings::setLastRecipe(const QString& json)
{
    QSettings().setValue("Editor/nlpRecipe", json);
}

QString Settings::lastArch() const
{
    return QSettings().value("Editor/arch").toString();
}

void Settings::setLastArch(const QString& arch)
{
    QSettings().setValue("Editor/arch", arch);
}

QString Settings::benchmarkPath(Space space) const
{
    return QSettings().value(QStringLiteral("Tables/%1/path").arg(spaceKey(space))).toString();
}

QString Settings::benchmarkTarget(Space space) const
{
    return QSettings().value(QStringLiteral("Tables/%1/target").arg(spaceKey(space))).toString();
}

void Settings::setBenchmark(Space space, const QString& path, const QString& target)
{
    QSettings store;
    store.setValue(QStringLiteral("Tables/%1/path").arg(spaceKey(space)), path);
    store.setValue(QStringLiteral("Tables/%1/target").arg(spaceKey(space)), target);
}

bool Settings::logMagnitude() const
{
    return QSettings().value("Editor/logMagnitude", true).toBool();
}

void Settings::setLogMagnitude(bool on)
{
    QSettings().setValue("Editor/logMagnitude", on);
}

QByteArray Settings::windowGeometry() const
{
    return QSettings().value("Window/geometry").toByteArray();
}

QByteArray Settings::windowState() const
{
    return QSettings().value("Window/state").toByteArray();
}

void Settings::setWindow(const QByteArray& geometry, const QByteArray& state)
{
    QSettings store;
    store.setValue("Window/geometry", geometry);
    store.setValue("Window/state", state);
}

QString Settings::storePath()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    return folder + QStringLiteral("/scores.sqlite");
}

} // namespace epsinas::gui
