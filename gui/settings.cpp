// SPDX-License-Identifier: MIT
#include "settings.h"

#include "score/runtime.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>

namespace epsinas::gui {

namespace {
const char* const kDefaultInput = "grey";
// The golden token batch (algorithm §7): needs no data files; PTB text is one setting away.
const char* const kDefaultTokens = "synthetic";
// The reference batch (algorithm §2); small inputs score faster but rank differently.
constexpr int kDefaultBatch = 256;
// Cells scored in the background on first launch, so the scatter is never empty for long.
constexpr int kDefaultSample = 300;

// Range of the interface scale: normal size up to three times it (a large hall's projector).
constexpr double kSmallestScale = 1.0;
constexpr double kLargestScale = 3.0;

// The token batch's key; it predates the idea that more than one space might read tokens.
const char* const kTokensKey = "Scoring/nlp/input";

/** A per-space setting: the default space's key predates the other spaces, which add theirs to the path. */
QString spaceSettingKey(const SearchSpace& space, const QString& group, const QString& name)
{
    return &space == &defaultSpace() ? QStringLiteral("%1/%2").arg(group, name)
                                     : QStringLiteral("%1/%2/%3").arg(group, QString::fromStdString(space.key()), name);
}

/** Weights are per space (algorithm §2 gives each its own). */
QString weightsKey(const SearchSpace& space)
{
    return spaceSettingKey(space, QStringLiteral("Scoring"), QStringLiteral("weights"));
}

/** Tables are remembered per space, every space under its key. */
QString tableKey(const SearchSpace& space, const QString& name)
{
    return QStringLiteral("Tables/%1/%2").arg(QString::fromStdString(space.key()), name);
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
    config.space = &space();
    try {
        config.input = InputSpec::parse(store.value("Scoring/input", kDefaultInput).toString().toStdString());
    } catch (const std::exception&) {
        config.input = InputSpec::parse(kDefaultInput);
    }
    config.input.offset = store.value("Scoring/inputOffset", 0).toLongLong();
    if (m_sessionInput)
        config.input = *m_sessionInput;
    try {
        config.tokens = TokenSpec::parse(store.value(kTokensKey, kDefaultTokens).toString().toStdString());
    } catch (const std::exception&) {
        config.tokens = TokenSpec::parse(kDefaultTokens);
    }
    if (m_sessionTokens)
        config.tokens = *m_sessionTokens;
    config.input.batch = std::max(1, store.value("Scoring/batch", kDefaultBatch).toInt());
    try {
        config.options.weights = parseWeightPair(
            store.value(weightsKey(*config.space), QString::fromStdString(toString(config.space->defaultWeights())))
                .toString()
                .toStdString());
        config.options.precision = parsePrecision(store.value("Scoring/precision", "fp32").toString().toStdString());
        config.options.evaluator
            = parseEvaluatorKind(store.value("Scoring/evaluator", "fast").toString().toStdString());
    } catch (const std::exception&) {
        // A hand-edited settings file with a bad value falls back to the reference behaviour.
        config.options = ScoreOptions {};
        config.options.weights = config.space->defaultWeights();
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
    store.setValue(kTokensKey, QString::fromStdString(config.tokens.toString()));
    store.setValue(weightsKey(*config.space), QString::fromStdString(toString(config.options.weights)));
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

const SearchSpace& Settings::space() const
{
    const SearchSpace* stored = findSpace(QSettings().value("Editor/space").toString());
    return stored ? *stored : defaultSpace();
}

void Settings::setSpace(const SearchSpace& space)
{
    if (&space == &this->space())
        return;
    QSettings().setValue("Editor/space", QString::fromStdString(space.key()));
    Q_EMIT changed();
}

QString Settings::lastArch(const SearchSpace& space) const
{
    return QSettings().value(spaceSettingKey(space, QStringLiteral("Editor"), QStringLiteral("arch"))).toString();
}

void Settings::setLastArch(const SearchSpace& space, const QString& arch)
{
    QSettings().setValue(spaceSettingKey(space, QStringLiteral("Editor"), QStringLiteral("arch")), arch);
}

QString Settings::benchmarkPath(const SearchSpace& space) const
{
    return QSettings().value(tableKey(space, QStringLiteral("path"))).toString();
}

QString Settings::benchmarkTarget(const SearchSpace& space) const
{
    return QSettings().value(tableKey(space, QStringLiteral("target"))).toString();
}

void Settings::setBenchmark(const SearchSpace& space, const QString& path, const QString& target)
{
    QSettings store;
    store.setValue(tableKey(space, QStringLiteral("path")), path);
    store.setValue(tableKey(space, QStringLiteral("target")), target);
}

bool Settings::logMagnitude() const
{
    return QSettings().value("Editor/logMagnitude", true).toBool();
}

void Settings::setLogMagnitude(bool on)
{
    QSettings().setValue("Editor/logMagnitude", on);
}

double Settings::interfaceScale()
{
    return std::clamp(QSettings().value("Window/scale", 1.0).toDouble(), kSmallestScale, kLargestScale);
}

void Settings::setInterfaceScale(double scale)
{
    QSettings().setValue("Window/scale", std::clamp(scale, kSmallestScale, kLargestScale));
}

double Settings::presentationScale(double fallback) const
{
    return std::clamp(
        QSettings().value("Window/presentationScale", fallback).toDouble(), kSmallestScale, kLargestScale);
}

void Settings::setPresentationScale(double scale)
{
    QSettings().setValue("Window/presentationScale", std::clamp(scale, kSmallestScale, kLargestScale));
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
