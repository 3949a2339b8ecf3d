// SPDX-License-Identifier: MIT
// The contract of each parser that reads outside input, as a function of the input's bytes: the libFuzzer targets
// (fuzztarget.cpp) call one each, and tst_fuzzregressions feeds them the reproducers kept in tests/fuzz/regressions.
// A function returns when the parser kept its contract (it accepted the input and the result round-trips, or it
// threw the documented error) and calls contractFailure() otherwise.
#pragma once

#include <string_view>

namespace epsinas::fuzz {

/** nb201's SearchSpace::parse: ParseError, or a cell whose text is the input and that reads back as itself. */
void checkNb201Arch(std::string_view bytes);
/** nb101's SearchSpace::parse (Spec::parse): ParseError, or a valid spec that reads back from its text and columns. */
void checkNb101Spec(std::string_view bytes);
/**
 * A recipes.jsonl line: nlp::parseNodesJson and readRecipeFile throw RecipeError or give nodes and recipes that
 * read back from their JSON.
 */
void checkNlpRecipe(std::string_view bytes);
/** The bytes as a CIFAR-10 and a CIFAR-100 file (InputBatch::load), and as an --input text (InputSpec::parse). */
void checkCifar(std::string_view bytes);
/** The bytes as a PTB text file (tokenize) and as a --tokens text (TokenSpec::parse). */
void checkPtb(std::string_view bytes);
/** The bytes as a benchmark table (BenchmarkTable::load), without keys and with NB201's. */
void checkBenchmarkTable(std::string_view bytes);
/** The bytes as a result store file, opened read-only and for writing (ResultStore). */
void checkResultStore(std::string_view bytes);
/** The bytes as an explorer session file (gui/session.h fromJson). */
void checkSession(std::string_view bytes);

} // namespace epsinas::fuzz
