// SPDX-License-Identifier: MIT
#pragma once

#include "scoringconfig.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <stdexcept>

namespace epsinas::gui {

class Settings;

/**
 * Everything a user would want back after closing the explorer, as a value: the space and its architecture, what
 * decides the scores, the benchmark table and how the window looked. Written to and read from a small JSON file
 * (docs/session.md describes the format). Space-blind: the architecture is the space's own text, checked with
 * SearchSpace::parse when read.
 */
struct Session {
    /** The format version this build writes and the newest it reads. */
    static constexpr int kFormatVersion = 1;

    /** The version of the file it was read from; kFormatVersion for a session made here. */
    int version = kFormatVersion;
    /** Never null: a space of the registry. */
    const SearchSpace* space = &defaultSpace();
    /** The architecture being edited, as the space's text (SearchSpace::parse reads it). */
    QString arch;

    /** The image batch (spaces that read images); kind, seed, path, offset and batch size are kept. */
    InputSpec input;
    /** The token batch (spaces that read tokens); kind and paths are kept, its batch size is input.batch. */
    TokenSpec tokens;
    /** The default space's reference weights unless set: a session of another space sets its own. */
    WeightPair weights = defaultSpace().defaultWeights();
    Precision precision = Precision::Float32;
    EvaluatorKind evaluator = EvaluatorKind::Fast;
    /** "auto", "cpu" or "cuda", as the settings dialog offers it: "auto" stays a choice, not a resolved device. */
    QString deviceChoice = QStringLiteral("auto");

    /** The benchmark table of `space` and its target column; empty: none. */
    QString benchmarkPath;
    QString benchmarkTarget;
    /** "exclude", "worst" or "best" (algorithm §1.6). */
    QString nanPolicy = QStringLiteral("exclude");

    /** QMainWindow::saveGeometry() and saveState(), stored as base64. */
    QByteArray windowGeometry;
    QByteArray windowState;
    bool logMagnitude = true;

    friend bool operator==(const Session& a, const Session& b);
    friend bool operator!=(const Session& a, const Session& b) { return !(a == b); }
};

/** Why a session could not be read or written: what() is one line, for a message box or stderr. */
class SessionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** The largest session file read, or JSON text parsed: real ones take a few kilobytes. */
constexpr qint64 kMaxSessionBytes = 1 << 20;

/** The session as an indented JSON document with "format": "epsinas-session" and "version": kFormatVersion. */
QByteArray toJson(const Session& session);
/**
 * Reads a session written by toJson, by this or an older version. Missing optional fields take their defaults and
 * unknown fields are ignored. Throws SessionError for text over kMaxSessionBytes (before parsing it), text that is
 * not a JSON object, another format, a newer version, an unknown space, an architecture the space does not parse,
 * or a field of the wrong type or out of range.
 */
Session fromJson(const QByteArray& json);

/** Reads at most kMaxSessionBytes + 1 bytes of `path` and never changes it; throws SessionError naming the file. */
Session readSessionFile(const QString& path);
/**
 * Writes `session` to a temporary file beside `path` and replaces `path` only once all of it is written, so that a
 * failed write leaves an existing file as it was. Throws SessionError naming the file.
 */
void writeSessionFile(const QString& path, const Session& session);

/**
 * The session the explorer is in: what `settings` holds for its current space, with the architecture being edited
 * and the window's saveGeometry() and saveState() (the settings keep those only from the last close).
 */
Session captureSession(
    const Settings& settings, const QString& arch, const QByteArray& windowGeometry, const QByteArray& windowState);
/**
 * Stores `session` in `settings`: the space, its last architecture, weights and table, the scoring settings, the NaN
 * policy, the log-magnitude switch and the window (unless the session has neither geometry nor state). Emits
 * Settings::changed() once, at the end. Settings' other values (CPU threads, sample size) are left as they are. The
 * window is not touched: the caller shows the architecture, the table, the log-magnitude switch and the geometry
 * itself.
 */
void applySession(const Session& session, Settings& settings);

/**
 * The session files opened or saved last, most recent first, for an Open Recent menu: over QSettings key
 * "Session/recent", at most kMaxEntries, each file once (by canonical path).
 */
class RecentSessions {
public:
    /** Entries an Open Recent menu shows. */
    static constexpr int kMaxEntries = 8;

    /** The files, most recent first (as stored; some may have gone since). */
    QStringList paths() const;
    /** Puts `path` first, removing an earlier entry for the same file and the oldest beyond kMaxEntries. */
    void add(const QString& path);
    /** Removes the entry for the file `path` names, e.g. after it failed to open. */
    void remove(const QString& path);
    /** Drops entries whose file no longer exists and returns those left. */
    QStringList removeMissing();
    void clear();
};

} // namespace epsinas::gui
