package sim

// The chat format of every prompt and answer the model sees:
//
//	<bos> <user> prompt tokens <bot> answer tokens <eos>
//
// Pretraining sentences are <bos> sentence <eos>.

// ChatPrompt encodes a prompt up to and including the <bot> token, where the
// answer starts.
func ChatPrompt(tok *Tokenizer, prompt string) []int {
	ids := []int{BeginID, UserID}
	ids = append(ids, tok.Encode(prompt)...)
	return append(ids, BotID)
}

// ChatSequence encodes prompt and answer with the closing <eos>, and returns
// the index of the answer's first token.
func ChatSequence(tok *Tokenizer, prompt, answer string) (ids []int, answerStart int) {
	ids = ChatPrompt(tok, prompt)
	answerStart = len(ids)
	ids = append(ids, tok.Encode(answer)...)
	return append(ids, EndID), answerStart
}

// AnswerText decodes sampled answer tokens, cut at the first <eos>.
func AnswerText(tok *Tokenizer, answer []int) string {
	for i, id := range answer {
		if id == EndID {
			answer = answer[:i]
			break
		}
	}
	return tok.Decode(answer)
}

// EndsProperly reports whether sampled answer tokens close with <eos> and
// hold no role marker: the model stopped by itself, as a chat model should.
func EndsProperly(answer []int) bool {
	if len(answer) == 0 || answer[len(answer)-1] != EndID {
		return false
	}
	for _, id := range answer {
		if id == UserID || id == BotID || id == BeginID {
			return false
		}
	}
	return true
}
