// SPDX-License-Identifier: MIT
#include "scoringconfig.h"

namespace epsinas::gui {

QString spaceKey(Space space)
{
    return space == Space::Nb101 ? QStringLiteral("nb101") : QStringLiteral("nb201");
}

std::optional<Space> parseSpace(const QString& key)
{
    for (Space space : { Space::Nb201, Space::Nb101 }) {
        if (key.compare(spaceKey(space), Qt::CaseInsensitive) == 0)
            return space;
    }
    return std::nullopt;
}

QString spaceName(Space space)
{
    return space == Space::Nb101 ? QStringLiteral("NAS-Bench-101") : QStringLiteral("NAS-Bench-201");
}

bool ScoringConfig::sameScoresAs(const ScoringConfig& other) const
{
    const InputSpec& a = input;
    const InputSpec& b = other.input;
    return space == other.space && a.kind == b.kind && a.seed == b.seed && a.path == b.path && a.offset == b.offset
        && a.batch == b.batch && a.imageSize == b.imageSize && options.weights == other.options.weights
        && options.precision == other.options.precision && options.evaluator == other.options.evaluator;
}

QString ScoringConfig::describe() const
{
    // NB201 lines stay unprefixed, as exported CSV headers have always read; other spaces name themselves.
    const QString prefix = space == Space::Nb201 ? QString() : spaceName(space) + QStringLiteral(", ");
    return prefix
        + QStringLiteral("%1 ×%2, w=%3, %4, %5")
              .arg(QString::fromStdString(input.toString()))
              .arg(input.batch)
              .arg(QString::fromStdString(toString(options.weights)),
                  QString::fromStdString(toString(options.precision)),
                  QString::fromStdString(toString(options.evaluator)));
}

bool operator==(const ScoringConfig& a, const ScoringConfig& b)
{
    return a.sameScoresAs(b) && a.options.device == b.options.device && a.options.threads == b.options.threads
        && a.options.chunkSize == b.options.chunkSize && a.storePath == b.storePath;
}

} // namespace epsinas::gui
