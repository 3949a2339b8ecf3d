// SPDX-License-Identifier: MIT
#include "space/scoringinput.h"

namespace epsinas {

std::string ScoringInput::fingerprint() const
{
    return images ? images->fingerprint() : tokens ? tokens->fingerprint() : std::string();
}

ScoringInput ScoringInput::load(InputKind kind, const InputRequest& request)
{
    if (kind == InputKind::Tokens) {
        TokenSpec spec = TokenSpec::parse(request.spec.empty() ? "synthetic" : request.spec);
        spec.batch = request.batch;
        return of(TokenBatch::load(spec));
    }
    InputSpec spec = InputSpec::parse(request.spec.empty() ? "grey" : request.spec);
    spec.batch = request.batch;
    if (request.offset)
        spec.offset = *request.offset;
    if (request.imageSize)
        spec.imageSize = *request.imageSize;
    return of(InputBatch::load(spec));
}

ScoringInput ScoringInput::of(InputBatch images)
{
    ScoringInput input;
    input.kind = InputKind::Images;
    input.images = std::make_shared<const InputBatch>(std::move(images));
    return input;
}

ScoringInput ScoringInput::of(TokenBatch tokens)
{
    ScoringInput input;
    input.kind = InputKind::Tokens;
    input.tokens = std::make_shared<const TokenBatch>(std::move(tokens));
    return input;
}

} // namespace epsinas
