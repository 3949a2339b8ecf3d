// SPDX-License-Identifier: MIT
#include "session.h"

#include "settings.h"
#include "spaces/spaces.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSettings>
#include <QSignalBlocker>

#include <algorithm>
#include <cmath>
#include <limits>

namespace epsinas::gui {

namespace {
// The tag that tells a session file from any other JSON file.
const char* const kFormatTag = "epsinas-session";
// Where the recent-files list lives in QSettings.
const char* const kRecentKey = "Session/recent";
// Longest piece of a value from the file that a message quotes: a hostile file may hold megabytes in one string.
constexpr int kQuoteLimit = 60;
// The largest integer a JSON number (a double) holds exactly; seeds and offsets beyond it would not read back.
constexpr double kMaxExactInteger = 9007199254740992.0;

const char* const kInputKinds[] = { "grey", "noise", "cifar10", "cifar100" };
const char* const kTokenKinds[] = { "synthetic", "ptb" };
const QStringList kDeviceChoices = { QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda") };
const QStringList kNanPolicies = { QStringLiteral("exclude"), QStringLiteral("worst"), QStringLiteral("best") };

/** `text` on one line: a message must not be split by what a file holds. */
QString oneLine(QString text)
{
    return text.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
}

/** `text` on one line, cut to kQuoteLimit characters and quoted, for a one-line message. */
QString quoted(const QString& text)
{
    QString line = oneLine(text);
    if (line.size() > kQuoteLimit)
        line = line.left(kQuoteLimit) + QStringLiteral("…");
    return QLatin1Char('\'') + line + QLatin1Char('\'');
}

/**
 * Typed reads of one JSON object of the session, naming the field by its path ("scoring.input.batch") when it has
 * the wrong type or is out of range. A missing field (or null) gives the fallback.
 */
class FieldReader {
public:
    FieldReader(const QJsonObject& object, const QString& prefix)
        : m_object(object)
        , m_prefix(prefix)
    {
    }

    bool has(const char* name) const
    {
        const QJsonValue value = m_object.value(QLatin1String(name));
        return !value.isUndefined() && !value.isNull();
    }

    FieldReader object(const char* name) const
    {
        if (!has(name))
            return FieldReader({}, path(name) + QLatin1Char('.'));
        const QJsonValue value = m_object.value(QLatin1String(name));
        if (!value.isObject())
            fail(name, QStringLiteral("must be an object"));
        return FieldReader(value.toObject(), path(name) + QLatin1Char('.'));
    }

    QString string(const char* name, const QString& fallback = {}) const
    {
        if (!has(name))
            return fallback;
        const QJsonValue value = m_object.value(QLatin1String(name));
        if (!value.isString())
            fail(name, QStringLiteral("must be a string"));
        return value.toString();
    }

    /** One of `allowed`, which the message lists. */
    QString choice(const char* name, const QStringList& allowed, const QString& fallback) const
    {
        const QString value = string(name, fallback);
        if (!allowed.contains(value))
            fail(name, QStringLiteral("is %1; expected %2").arg(quoted(value), allowed.join(QStringLiteral(", "))));
        return value;
    }

    double number(const char* name, double fallback) const
    {
        if (!has(name))
            return fallback;
        const QJsonValue value = m_object.value(QLatin1String(name));
        // Qt's parser refuses numbers beyond a double's range, so a JSON number is always finite.
        if (!value.isDouble())
            fail(name, QStringLiteral("must be a number"));
        return value.toDouble();
    }

    /** A whole number in [low, high]. */
    double integer(const char* name, double fallback, double low, double high) const
    {
        if (!has(name))
            return fallback;
        const QJsonValue value = m_object.value(QLatin1String(name));
        const double number = value.isDouble() ? value.toDouble() : std::numeric_limits<double>::quiet_NaN();
        if (!(number >= low && number <= high && std::floor(number) == number))
            fail(name,
                high < kMaxExactInteger
                    ? QStringLiteral("must be a whole number from %1 to %2").arg(low, 0, 'f', 0).arg(high, 0, 'f', 0)
                    : QStringLiteral("must be a whole number, %1 or more").arg(low, 0, 'f', 0));
        return number;
    }

    /** A 64-bit unsigned number: decimal digits in a string, or a whole JSON number up to kMaxExactInteger. */
    std::uint64_t unsigned64(const char* name, std::uint64_t fallback) const
    {
        if (!has(name))
            return fallback;
        const QJsonValue value = m_object.value(QLatin1String(name));
        if (!value.isString())
            return std::uint64_t(integer(name, 0, 0, kMaxExactInteger));
        const QString digits = value.toString();
        bool ok = !digits.isEmpty()
            && std::all_of(digits.cbegin(), digits.cend(), [](QChar c) { return c >= '0' && c <= '9'; });
        const qulonglong number = ok ? digits.toULongLong(&ok) : 0;
        if (!ok)
            fail(name, QStringLiteral("must be a whole number from 0 to %1").arg(std::numeric_limits<quint64>::max()));
        return number;
    }

    bool boolean(const char* name, bool fallback) const
    {
        if (!has(name))
            return fallback;
        const QJsonValue value = m_object.value(QLatin1String(name));
        if (!value.isBool())
            fail(name, QStringLiteral("must be true or false"));
        return value.toBool();
    }

    QStringList strings(const char* name) const
    {
        if (!has(name))
            return {};
        const QJsonValue value = m_object.value(QLatin1String(name));
        QStringList list;
        if (value.isArray()) {
            for (const QJsonValue& item : value.toArray()) {
                if (!item.isString())
                    break;
                list << item.toString();
            }
            if (list.size() == value.toArray().size())
                return list;
        }
        fail(name, QStringLiteral("must be a list of strings"));
    }

    /** Bytes stored as base64 text. */
    QByteArray base64(const char* name) const
    {
        const auto decoded
            = QByteArray::fromBase64Encoding(string(name).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            fail(name, QStringLiteral("must be base64 text"));
        return *decoded;
    }

    [[noreturn]] void fail(const char* name, const QString& what) const
    {
        throw SessionError(QStringLiteral("session field '%1' %2").arg(path(name), what).toStdString());
    }

private:
    QString path(const char* name) const { return m_prefix + QLatin1String(name); }

    QJsonObject m_object;
    QString m_prefix;
};

/** The index of `value` in `names`, where the field's fail() has already refused any other value. */
template <std::size_t N> int indexOf(const char* const (&names)[N], const QString& value)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (value == QLatin1String(names[i]))
            return int(i);
    }
    return -1;
}

template <std::size_t N> QStringList listOf(const char* const (&names)[N])
{
    QStringList list;
    for (const char* name : names)
        list << QLatin1String(name);
    return list;
}

InputSpec readInput(const FieldReader& fields)
{
    InputSpec input;
    input.kind = InputSpec::Kind(indexOf(kInputKinds, fields.choice("kind", listOf(kInputKinds), kInputKinds[0])));
    input.seed = fields.unsigned64("seed", 0);
    input.path = fields.string("path").toStdString();
    input.offset = std::int64_t(fields.integer("offset", 0, 0, kMaxExactInteger));
    // The batch sizes InputBatch::load accepts.
    input.batch = int(fields.integer("batch", input.batch, 2, kMaxBatchImages));
    const bool file = input.kind == InputSpec::Kind::Cifar10 || input.kind == InputSpec::Kind::Cifar100;
    if (file && input.path.empty())
        fields.fail("path", QStringLiteral("must name the CIFAR binary file"));
    return input;
}

TokenSpec readTokens(const FieldReader& fields)
{
    TokenSpec tokens;
    tokens.kind = TokenSpec::Kind(indexOf(kTokenKinds, fields.choice("kind", listOf(kTokenKinds), kTokenKinds[0])));
    for (const QString& path : fields.strings("paths")) {
        if (path.isEmpty())
            fields.fail("paths", QStringLiteral("must not hold an empty file name"));
        tokens.paths.push_back(path.toStdString());
    }
    if (tokens.kind == TokenSpec::Kind::Ptb && tokens.paths.empty())
        fields.fail("paths", QStringLiteral("must name one or more PTB text files"));
    return tokens;
}

/** The rules of parseWeightPair, which the settings dialog applies: finite, and w_lo below w_hi. */
WeightPair readWeights(const FieldReader& fields, const WeightPair& fallback)
{
    const WeightPair weights { fields.number("low", fallback.low), fields.number("high", fallback.high) };
    if (!(weights.low < weights.high))
        fields.fail("low", QStringLiteral("(w_lo) must be smaller than 'high' (w_hi)"));
    return weights;
}

/** Applies a core parser to a string field, its std::invalid_argument becoming the field's error. */
template <typename Parse>
auto parsedField(const FieldReader& fields, const char* name, const QString& fallback, Parse parse)
{
    const QString text = fields.string(name, fallback);
    try {
        return parse(text.toStdString());
    } catch (const std::invalid_argument& error) {
        fields.fail(name, QStringLiteral("is wrong: %1").arg(oneLine(QString::fromStdString(error.what()))));
    }
}

QString canonicalPath(const QString& path)
{
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? info.absoluteFilePath() : canonical;
}

void storeRecent(const QStringList& paths)
{
    QSettings().setValue(QLatin1String(kRecentKey), paths.mid(0, RecentSessions::kMaxEntries));
}

} // namespace

bool operator==(const Session& a, const Session& b)
{
    const InputSpec& x = a.input;
    const InputSpec& y = b.input;
    return a.version == b.version && a.space == b.space && a.arch == b.arch && x.kind == y.kind && x.seed == y.seed
        && x.path == y.path && x.offset == y.offset && x.batch == y.batch && a.tokens.kind == b.tokens.kind
        && a.tokens.paths == b.tokens.paths && a.weights == b.weights && a.precision == b.precision
        && a.evaluator == b.evaluator && a.deviceChoice == b.deviceChoice && a.benchmarkPath == b.benchmarkPath
        && a.benchmarkTarget == b.benchmarkTarget && a.nanPolicy == b.nanPolicy && a.windowGeometry == b.windowGeometry
        && a.windowState == b.windowState && a.logMagnitude == b.logMagnitude;
}

QByteArray toJson(const Session& session)
{
    const InputSpec& input = session.input;
    QJsonArray tokenPaths;
    for (const std::string& path : session.tokens.paths)
        tokenPaths.append(QString::fromStdString(path));
    const QJsonObject scoring {
        { "input",
            QJsonObject {
                { "kind", QLatin1String(kInputKinds[int(input.kind)]) },
                // Digits, not a number: a 64-bit seed does not fit a JSON number exactly.
                { "seed", QString::number(input.seed) },
                { "path", QString::fromStdString(input.path) },
                { "offset", double(input.offset) },
                { "batch", input.batch },
            } },
        { "tokens",
            QJsonObject {
                { "kind", QLatin1String(kTokenKinds[int(session.tokens.kind)]) },
                { "paths", tokenPaths },
            } },
        { "weights", QJsonObject { { "low", session.weights.low }, { "high", session.weights.high } } },
        { "precision", QString::fromStdString(toString(session.precision)) },
        { "evaluator", QString::fromStdString(toString(session.evaluator)) },
        { "device", session.deviceChoice },
    };
    const QJsonObject root {
        { "format", QLatin1String(kFormatTag) },
        { "version", Session::kFormatVersion },
        { "space", QString::fromStdString(session.space->key()) },
        { "arch", session.arch },
        { "scoring", scoring },
        { "benchmark", QJsonObject { { "path", session.benchmarkPath }, { "target", session.benchmarkTarget } } },
        { "nanPolicy", session.nanPolicy },
        { "view",
            QJsonObject {
                { "geometry", QString::fromLatin1(session.windowGeometry.toBase64()) },
                { "state", QString::fromLatin1(session.windowState.toBase64()) },
                { "logMagnitude", session.logMagnitude },
            } },
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Session fromJson(const QByteArray& json)
{
    if (json.size() > kMaxSessionBytes)
        throw SessionError(QStringLiteral("%1 bytes is too large for a session (at most %2 KiB)")
                               .arg(json.size())
                               .arg(kMaxSessionBytes / 1024)
                               .toStdString());
    // Qt's parser refuses nesting deeper than a fixed limit, so with the size bound its work is bounded too.
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (document.isNull())
        throw SessionError(QStringLiteral("not a session file: invalid JSON at byte %1 (%2)")
                               .arg(parseError.offset)
                               .arg(parseError.errorString())
                               .toStdString());
    if (!document.isObject())
        throw SessionError("not a session file: it is JSON but not a JSON object");
    const QJsonObject object = document.object();
    const QJsonValue format = object.value(QLatin1String("format"));
    if (format.toString() != QLatin1String(kFormatTag))
        throw SessionError(
            QStringLiteral("not an epsinas session file (its \"format\" is %1, expected '%2')")
                .arg(format.isString() ? quoted(format.toString()) : QStringLiteral("missing"), kFormatTag)
                .toStdString());

    const FieldReader root(object, {});
    Session session;
    if (!root.has("version"))
        root.fail("version", QStringLiteral("is missing"));
    const double version = root.integer("version", 0, 1, kMaxExactInteger);
    if (version > Session::kFormatVersion)
        throw SessionError(QStringLiteral("written by a newer epsinas explorer (version %1); this one reads version %2")
                               .arg(version, 0, 'f', 0)
                               .arg(Session::kFormatVersion)
                               .toStdString());
    session.version = int(version);

    if (!root.has("space"))
        root.fail("space", QStringLiteral("is missing"));
    const QString key = root.string("space");
    session.space = findSpace(key);
    if (!session.space)
        throw SessionError(QStringLiteral("unknown space %1 (this explorer knows %2)")
                               .arg(quoted(key), QString::fromStdString(spaceRegistry().keyList()))
                               .toStdString());
    const SearchSpace& space = *session.space;
    if (!root.has("arch"))
        root.fail("arch", QStringLiteral("is missing"));
    session.arch = root.string("arch");
    try {
        space.parse(session.arch.toStdString());
    } catch (const std::exception& error) {
        throw SessionError(QStringLiteral("the architecture is not a %1 %2: %3")
                               .arg(QString::fromStdString(space.name()), QString::fromStdString(space.unitName(false)),
                                   oneLine(QString::fromStdString(error.what())))
                               .toStdString());
    }

    const FieldReader scoring = root.object("scoring");
    session.input = readInput(scoring.object("input"));
    session.tokens = readTokens(scoring.object("tokens"));
    // Weights are per space (algorithm §2): a session without them has its space's.
    session.weights = readWeights(scoring.object("weights"), space.defaultWeights());
    session.precision = parsedField(scoring, "precision", QStringLiteral("fp32"), parsePrecision);
    session.evaluator = parsedField(scoring, "evaluator", QStringLiteral("fast"), parseEvaluatorKind);
    session.deviceChoice = scoring.choice("device", kDeviceChoices, kDeviceChoices.front());

    const FieldReader benchmark = root.object("benchmark");
    session.benchmarkPath = benchmark.string("path");
    session.benchmarkTarget = benchmark.string("target");
    session.nanPolicy = root.choice("nanPolicy", kNanPolicies, kNanPolicies.front());

    const FieldReader view = root.object("view");
    session.windowGeometry = view.base64("geometry");
    session.windowState = view.base64("state");
    session.logMagnitude = view.boolean("logMagnitude", session.logMagnitude);
    return session;
}

Session readSessionFile(const QString& path)
{
    const auto fail = [&path](const QString& why) {
        return SessionError(QStringLiteral("session file %1: %2").arg(quoted(path), why).toStdString());
    };
    const QFileInfo info(path);
    if (info.isDir())
        throw fail(QStringLiteral("is a folder"));
    // A pipe or a device could block the read or never end.
    if (info.exists() && !info.isFile())
        throw fail(QStringLiteral("is not a regular file"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw fail(file.errorString());
    const QString tooLarge = QStringLiteral("larger than %1 KiB, too large for a session").arg(kMaxSessionBytes / 1024);
    if (file.size() > kMaxSessionBytes)
        throw fail(tooLarge);
    // The file may have grown since its size was read: read one byte more than allowed to tell.
    const QByteArray bytes = file.read(kMaxSessionBytes + 1);
    if (bytes.size() > kMaxSessionBytes)
        throw fail(tooLarge);
    if (file.error() != QFileDevice::NoError)
        throw fail(file.errorString());
    try {
        return fromJson(bytes);
    } catch (const SessionError& error) {
        throw fail(QString::fromStdString(error.what()));
    }
}

void writeSessionFile(const QString& path, const Session& session)
{
    const auto fail = [&path](const QString& why) {
        return SessionError(
            QStringLiteral("cannot write session file %1: %2").arg(quoted(path), oneLine(why)).toStdString());
    };
    // QSaveFile writes a temporary file beside `path` and renames it over `path` on commit(); never in place.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw fail(file.errorString());
    const QByteArray json = toJson(session);
    if (file.write(json) != json.size()) {
        const QString why = file.errorString();
        file.cancelWriting();
        throw fail(why);
    }
    if (!file.commit())
        throw fail(file.errorString());
}

Session captureSession(
    const Settings& settings, const QString& arch, const QByteArray& windowGeometry, const QByteArray& windowState)
{
    const ScoringConfig config = settings.scoringConfig();
    Session session;
    session.space = config.space;
    session.arch = arch;
    session.input = config.input;
    session.tokens = config.tokens;
    session.weights = config.options.weights;
    session.precision = config.options.precision;
    session.evaluator = config.options.evaluator;
    session.deviceChoice = settings.deviceChoice();
    session.benchmarkPath = settings.benchmarkPath(*config.space);
    session.benchmarkTarget = settings.benchmarkTarget(*config.space);
    session.nanPolicy = settings.nanPolicy();
    session.windowGeometry = windowGeometry;
    session.windowState = windowState;
    session.logMagnitude = settings.logMagnitude();
    return session;
}

void applySession(const Session& session, Settings& settings)
{
    {
        // Listeners rescore on changed(): one notification for the whole session, not one per setter.
        const QSignalBlocker blocker(settings);
        const SearchSpace& space = *session.space;
        settings.setSpace(space);
        settings.setLastArch(space, session.arch);
        settings.setBenchmark(space, session.benchmarkPath, session.benchmarkTarget);
        // The settings' config is now the session space's; what the session does not keep (threads) stays.
        ScoringConfig config = settings.scoringConfig();
        config.input = session.input;
        config.tokens = session.tokens;
        config.options.weights = session.weights;
        config.options.precision = session.precision;
        config.options.evaluator = session.evaluator;
        settings.setScoringConfig(config, session.deviceChoice);
        settings.setNanPolicy(session.nanPolicy);
        settings.setLogMagnitude(session.logMagnitude);
        // A session saved without a window (e.g. by hand) leaves the window as it is.
        if (!session.windowGeometry.isEmpty() || !session.windowState.isEmpty())
            settings.setWindow(session.windowGeometry, session.windowState);
    }
    Q_EMIT settings.changed();
}

QStringList RecentSessions::paths() const
{
    return QSettings().value(QLatin1String(kRecentKey)).toStringList().mid(0, kMaxEntries);
}

void RecentSessions::add(const QString& path)
{
    const QString file = canonicalPath(path);
    QStringList entries = paths();
    entries.removeIf([&file](const QString& entry) { return canonicalPath(entry) == file; });
    entries.prepend(file);
    storeRecent(entries);
}

void RecentSessions::remove(const QString& path)
{
    const QString file = canonicalPath(path);
    QStringList entries = paths();
    entries.removeIf([&file](const QString& entry) { return canonicalPath(entry) == file; });
    storeRecent(entries);
}

QStringList RecentSessions::removeMissing()
{
    QStringList entries = paths();
    entries.removeIf([](const QString& entry) { return !QFileInfo(entry).isFile(); });
    storeRecent(entries);
    return entries;
}

void RecentSessions::clear()
{
    QSettings().remove(QLatin1String(kRecentKey));
}

} // namespace epsinas::gui
