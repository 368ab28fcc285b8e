/**
 * Tokenizes a batch for a BERT-style encoder the way Python's tokenizers do. transformers.js
 * truncates after adding the special tokens, so a text longer than the model's limit loses its
 * closing [SEP] (the first 127 tokens plus [SEP] in Python, 128 tokens without [SEP] here); the
 * multilingual model then sees an input it was never trained on (cosine 0.9986 against
 * sentence-transformers on a 226-token text). Here each text is encoded whole and cut to the limit
 * keeping its last (special) token, then the batch is padded. Used on the server and in the browser.
 */
import { Tensor, type PreTrainedTokenizer } from "@huggingface/transformers";

export function encodeBatch(tokenizer: PreTrainedTokenizer, texts: string[]): { input_ids: Tensor; attention_mask: Tensor } {
  const limit = Number(tokenizer.model_max_length ?? Infinity);
  const encoded = texts.map((text) => {
    const ids = tokenizer.encode(text);
    return ids.length > limit ? [...ids.slice(0, limit - 1), ids[ids.length - 1]!] : ids;
  });
  const length = Math.max(...encoded.map((ids) => ids.length));
  const inputIds = new BigInt64Array(texts.length * length).fill(BigInt(tokenizer.pad_token_id ?? 0));
  const mask = new BigInt64Array(texts.length * length);
  encoded.forEach((ids, row) => {
    ids.forEach((id, i) => {
      inputIds[row * length + i] = BigInt(id);
      mask[row * length + i] = 1n;
    });
  });
  return {
    input_ids: new Tensor("int64", inputIds, [texts.length, length]),
    attention_mask: new Tensor("int64", mask, [texts.length, length]),
  };
}
