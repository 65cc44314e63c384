// Package quality judges the answers a model writes, as a teacher reading
// them would: is each answer grammatical, is it about what was asked, in
// which voice is it written (helpful, short, rude, off-topic, …), and how
// many different answers are there. cmd/rlhf reports these figures for the
// answers to the held-out prompts after SFT and after PPO.
//
// Every measure is computed against the training data, never against a list
// of English words, so the same code judges any language whose text package
// sim splits into tokens (one token per word, or per CJK character):
//
//   - Grammatical: every word trigram of every sentence of the answer, with
//     the sentence's start and end as two more tokens, occurs in a sentence of
//     the training text. The training text is all written by people and
//     grammatical, so a sentence made of seen trigrams reads as English
//     locally; a cut-off sentence ends with an unseen trigram and fails.
//   - Fluent, the stricter measure: the same with 4-grams, and the answer
//     ended by itself (<eos>, not cut at the length limit). 4-grams catch
//     the chimeras trigrams let through ("use less coffee after the bus").
//     Verbatim is the share of sentences copied whole from the training text:
//     how much the model composes rather than recites.
//   - On topic: each sentence of the answer is traced to the topic of the
//     training sentences it copies (an index of every sentence of the
//     demonstrations, labelled by the topic it talks about), or, if it is new,
//     to the topic of its keywords (words that occur mostly in one topic's
//     prompts and answers). Sentences used for every topic ("glad to help!")
//     carry no topic. The answer is on topic when it has at least one
//     sentence with a topic and all such sentences belong to the prompt's
//     topic. The prompt's topic is its label, or else what a naive Bayes
//     classifier of the labelled prompts and answers gives it.
//   - Voice: a naive Bayes classifier over the answer's word unigrams and
//     bigrams and three features from the measures above (the topic
//     relation: same, other, none; the number of topical sentences; the
//     length), trained on the labelled demonstrations. Its accuracy on
//     demonstrations it did not train on is tested (CrossValidate).
//   - Distinct: the number of different answers over the number of answers.
//
// New builds a Judge from Data (package assets provides it for the built-in
// data); Judge.Report turns a list of answers into the figures.
package quality
