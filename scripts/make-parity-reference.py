#!/usr/bin/env python3
"""Record sentence-transformers' output for all-MiniLM-L6-v2 as fixtures for SynthLab's parity tests.

Run with the torch venv (never needed by CI, which only reads the committed fixtures):

    HF_HUB_OFFLINE=1 ~/.cache/synthlab/venv-torch/bin/python scripts/make-parity-reference.py

Writes, under Tests/SynthModelsTests/Fixtures/:
  minilm-reference.json     a varied sentence set (unicode, accents, CJK, emoji, long text, empty string,
                            control characters, punctuation, numbers, URLs): text, token ids as
                            sentence-transformers feeds them to the model (max_seq_length 256, with
                            [CLS]/[SEP]) and the final normalised embeddings rounded to 6 decimals.
  tokenizer-reference.json  token-id digests of the first 2,000 SciFact corpus texts (title + " " + text)
                            and all STS-B sentences, untruncated, from the fast tokenizer that
                            sentence-transformers uses; the texts stay in shared/data (never copied into
                            the repository) and are named by their position. The slow Python
                            BertTokenizer is checked against the same texts and differences are reported.

Digest of one text: the SHA-256 (hex) of its ids joined by single spaces, e.g. "101 7592 102".
"""
import argparse
import csv
import gzip
import hashlib
import json
import os
import pathlib
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = pathlib.Path(__file__).resolve().parent.parent
HOME = pathlib.Path(os.environ.get("SYNTHLAB_HOME", pathlib.Path.home() / ".cache/synthlab"))

LONG_TEXT = (
    "Dense retrieval encodes queries and documents into a shared vector space, and relevance is the "
    "inner product of the two vectors. "
) * 20

SENTENCES = [
    "",
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "Héllo Wörld, ça va? Crème brûlée à la façon de Zoë — naïve café.",
    "ÀÉÎÕÜ àéîõü ÇÑ çñ Ångström Øresund Łódź Straße",
    "日本語のテキストと中文字符混合 English words 한국어 문장도 있습니다.",
    "我爱自然语言处理。",
    "Emoji test 😀🎉👍🏽 family 👨‍👩‍👧‍👦 flags 🇫🇷🇯🇵 hearts ❤️",
    LONG_TEXT,
    "Control\u0000chars\u0001here\u0007and\u001b[31mescape\u007f del \ufffd replacement",
    "Tabs\tand\nnewlines\r\nand   multiple    spaces\u00a0nbsp\u2003em-space\u2028line-sep",
    "Mixed punctuation!!! ??? ... ;;; (brackets) [square] {curly} <angle> \"quotes\" 'single' `back`",
    "Symbols: $100 + 50% = ^caret^ ~tilde~ |pipe| @at #hash &amp * star _under_ \\back/slash",
    "Unicode punctuation: «guillemets» „German“ “curly” ‘single’ … – — · ¿Qué? ¡Hola! 、。「」",
    "Numbers 3.14159, 2,718, 1e-10, -42, 0x1F, 1/2, 10^6, 99.9% and ½ ¼ ² ³ ①",
    "Visit https://example.com/path?query=1&x=y#frag or http://www.test.org:8080/a_b-c.html",
    "Email someone@example.com about the 2024-01-15 meeting at 10:30am (UTC+2).",
    "[CLS] literal special tokens [SEP] in the text [MASK] and [UNK] [PAD] [cls]",
    "Supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "a" * 120 + " long word over one hundred characters",
    "Zero\u200bwidth\u200cjoiners\u200d soft\u00adhyphen \ufeffBOM and \u2060word-joiner",
    "Full-width ＡＢＣ １２３ ｆｕｌｌ，ｗｉｄｔｈ！ and ligatures ﬁ ﬂ ﬀ",
    "Greek ΣΟΦΙΑ σοφία ΟΔΥΣΣΕΥΣ, Cyrillic Привет мир, Turkish İstanbul ıı",
    "Arabic مرحبا بالعالم and Hebrew שלום עולם and Hindi नमस्ते दुनिया and Thai สวัสดีครับ",
    "Combining: e\u0301 a\u0300 o\u0308 n\u0303 c\u0327 and precomposed é à ö ñ ç",
    "Math ∑ ∫ √ ∞ ≤ ≥ ≠ ± × ÷ → ⇒ ∀x∈ℝ: x² ≥ 0",
    "   leading and trailing whitespace   ",
    "UPPER CASE SENTENCE WITH ACRONYMS LIKE NASA, BERT, GPT-4 AND COVID-19.",
    "BRCA1 mutations increase the risk of breast cancer by 45-65% (p<0.001, n=1,234).",
    "Private use \ue000\uf8ff and unassigned \u0378 characters",
    "​",
    "Å",
    "A sentence with a very rare word: floccinaucinihilipilification, and code: `x = f(y)[0] -> z;`",
]


def digest(ids):
    return hashlib.sha256(" ".join(str(i) for i in ids).encode()).hexdigest()


def scifact_texts(data, limit):
    texts = []
    with gzip.open(data / "scifact/corpus.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            texts.append((doc.get("title", "") + " " + doc["text"]).strip())
            if len(texts) == limit:
                break
    return texts


def stsb_texts(data):
    texts = []
    with open(data / "stsb/stsb.tsv", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            texts.extend([row[0], row[1]])
    return texts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(HOME / "models/all-MiniLM-L6-v2"))
    parser.add_argument("--data", default=str(ROOT.parent / "shared/data"))
    parser.add_argument("--out", default=str(ROOT / "Tests/SynthModelsTests/Fixtures"))
    parser.add_argument("--scifact-limit", type=int, default=2000)
    args = parser.parse_args()

    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import BertTokenizer

    torch.set_num_threads(2)
    model = SentenceTransformer(args.model, device="cpu")
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    # 1. Varied sentences: ids as fed to the model, and embeddings.
    embeddings = model.encode(SENTENCES, batch_size=8, convert_to_numpy=True)
    records = []
    for text, embedding in zip(SENTENCES, embeddings):
        features = model.tokenize([text])
        ids = features["input_ids"][0][features["attention_mask"][0].bool()].tolist()
        records.append({"text": text, "ids": ids, "embedding": [round(float(x), 6) for x in embedding]})
    reference = {
        "model": "all-MiniLM-L6-v2",
        "generator": "sentence-transformers " + __import__("sentence_transformers").__version__
        + ", torch " + torch.__version__,
        "max_seq_length": model.max_seq_length,
        "sentences": records,
    }
    (out / "minilm-reference.json").write_text(json.dumps(reference, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {len(records)} sentences to {out / 'minilm-reference.json'}")

    # 2. Large-text tokenizer digests (fast tokenizer, untruncated, with [CLS]/[SEP]).
    fast = model.tokenizer
    slow = BertTokenizer(os.path.join(args.model, "vocab.txt"), do_lower_case=True)
    data = pathlib.Path(args.data)
    sets = {"scifact": scifact_texts(data, args.scifact_limit), "stsb": stsb_texts(data)}
    digests = {}
    slow_differences = 0
    for name, texts in sets.items():
        fast_ids = fast(texts, add_special_tokens=True, truncation=False)["input_ids"]
        digests[name] = [f"{len(ids)}:{digest(ids)[:16]}" for ids in fast_ids]
        for text, ids in zip(texts, fast_ids):
            slow_ids = slow(text, add_special_tokens=True, truncation=False)["input_ids"]
            if slow_ids != ids:
                slow_differences += 1
                if slow_differences <= 5:
                    print(f"slow and fast tokenizers differ on {text[:80]!r}", file=sys.stderr)
    tokenizer_reference = {
        "generator": "tokenizers " + __import__("tokenizers").__version__,
        "digest": "count:first 16 hex of SHA-256 of the ids joined by spaces, [CLS]/[SEP] included, untruncated",
        "scifact": {"texts": "title + ' ' + text, stripped, of the first corpus lines", "count": len(sets["scifact"]),
                    "digests": digests["scifact"]},
        "stsb": {"texts": "sentence1, sentence2 of each stsb.tsv row in file order", "count": len(sets["stsb"]),
                 "digests": digests["stsb"]},
        "slow_tokenizer_differences": slow_differences,
    }
    (out / "tokenizer-reference.json").write_text(json.dumps(tokenizer_reference) + "\n")
    total = sum(len(t) for t in sets.values())
    print(f"wrote digests of {total} texts; slow BertTokenizer differs from the fast one on {slow_differences}")


if __name__ == "__main__":
    main()
