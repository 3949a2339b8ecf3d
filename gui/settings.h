// SPDX-License-Identifier: MIT
#pragma once

#include "scoringconfig.h"

#include <QObject>
#include <QString>

#include <optional>

namespace epsinas::gui {

/**
 * The explorer's persistent settings, typed, over QSettings (keys `Scoring/…`, `Editor/…`, `Window/…`). Setters
 * write through and emit changed(); an input given on the command line overrides the stored one for this session.
 */
class Settings : public QObject {
    Q_OBJECT
public:
    static Settings& instance();

    /** The scoring configuration in force for space(), its weights included, with the device resolved ("auto" becomes
     * CUDA when available). */
    ScoringConfig scoringConfig() const;
    /** Stores what the settings dialog edits; the store path is not a setting. */
    void setScoringConfig(const ScoringConfig& config, const QString& deviceChoice);
    /** "auto", "cpu" or "cuda". */
    QString deviceChoice() const;
    /** Used instead of the stored input until the settings dialog sets one (the --input option). */
    void setSessionInput(const InputSpec& input);
    /** The same for the token batch of spaces that read tokens. */
    void setSessionTokens(const TokenSpec& tokens);

    /** "exclude", "worst" or "best" (algorithm §1.6). */
    QString nanPolicy() const;
    void setNanPolicy(const QString& policy);

    /** Cells scored in the background at start-up when nothing is stored yet; 0 for none. */
    int sampleSize() const;
    void setSampleSize(int cells);

    /** The space being explored; its weights, last architecture and table are kept apart from the others'. */
    const SearchSpace& space() const;
    void setSpace(const SearchSpace& space);

    /** The last architecture edited in `space`, as the space's text (only ever one the space can hold). */
    QString lastArch(const SearchSpace& space) const;
    void setLastArch(const SearchSpace& space, const QString& arch);
    /** The benchmark table last opened in `space` and its target column (empty: none), reopened at start-up. */
    QString benchmarkPath(const SearchSpace& space) const;
    QString benchmarkTarget(const SearchSpace& space) const;
    void setBenchmark(const SearchSpace& space, const QString& path, const QString& target);

    bool logMagnitude() const;
    void setLogMagnitude(bool on);

    /**
     * How much larger than normal the whole interface is drawn (1 to 3; 1.5 for a projector), applied at start-up
     * through Qt's scale factor. Static: it is read before the application object exists.
     */
    static double interfaceScale();
    void setInterfaceScale(double scale);
    /** How much larger text is drawn in presentation mode (1 to 3); `fallback` until one is chosen. */
    double presentationScale(double fallback) const;
    void setPresentationScale(double scale);

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindow(const QByteArray& geometry, const QByteArray& state);

    /** Where scores persist across runs: a file in the application data folder. */
    static QString storePath();

Q_SIGNALS:
    void changed();

private:
    explicit Settings(QObject* parent = nullptr);
    std::optional<InputSpec> m_sessionInput;
    std::optional<TokenSpec> m_sessionTokens;
};

} // namespace epsinas::gui
