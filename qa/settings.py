"""The one place defaults live. Every field can be set with an environment variable `QA_<FIELD>`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore")

    home: Path = Field(Path(".qa"), description="Folder holding the index (Chroma store, lexical index).")
    corpus: Path = Field(Path("corpus"), description="Folder of speeches; `doc` ids are paths relative to it.")
    chroma_url: str | None = Field(None, description="URL of a Chroma server (`chroma run`); unset = embedded store.")
    chroma_token: SecretStr | None = Field(None, description="Auth token sent to the Chroma server.")
    collection: str = Field("speeches", description="Chroma collection name.")

    embedding: str = Field("e5-small", description="Embedder: e5-small | st:<name-or-path> | openai:<model>.")
    embedding_base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible embeddings API.")
    embedding_api_key: SecretStr | None = Field(None, description="Key for the embeddings API.")
    embedding_batch: int = Field(32, description="Chunks embedded per call during ingest.")

    llm: str = Field("extractive", description="Answer backend: extractive | openai:<model> | ollama:<model> | hf:<path>.")
    llm_base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible chat API (…/v1).")
    llm_api_key: SecretStr | None = Field(None, description="Key for that API (else OPENAI_API_KEY). Never shown or logged.")
    ollama_url: str = Field("http://127.0.0.1:11434", description="Ollama server for ollama:<model>.")
    llm_timeout: float = Field(30.0, description="Seconds an LLM may take (to the first token, and between tokens) "
                               "before the extractive answer is given instead.")
    llm_retries: int = Field(1, description="Retries of a failed LLM request within the timeout.")
    llm_temperature: float = Field(0.1, description="Sampling temperature; low keeps answers close to the passages.")
    llm_max_tokens: int = Field(800, description="Longest answer an LLM may write.")
    support_threshold: float = Field(0.3, description="Least share of an answer sentence's character bigrams found in "
                                     "the passages it cites; below it the sentence is flagged as unsupported.")

    chunk_target: int = Field(200, description="Chunk length (characters) the chunker aims for.")
    chunk_max: int = Field(300, description="Hard upper bound of a chunk, unless one sentence is longer.")
    chunk_overlap: int = Field(60, description="At most this many characters of trailing sentences repeat in the next chunk.")
    max_file_mb: float = Field(10.0, description="Files larger than this are reported and skipped (a speech is far "
                               "smaller; a huge file is almost always something else).")

    k: int = Field(5, description="Passages returned by search and read by the answerer.")
    candidates: int = Field(40, description="Candidates taken from each retriever before fusion.")
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant.")
    dense_weight: float = Field(1.0, description="Weight of the dense ranking in the fusion (lexical weighs 1).")
    retrieval: str = Field("hybrid", description="hybrid | dense | lexical (the latter two for comparison).")

    found_threshold: float = Field(
        0.35,
        description="Share of the question's weighted key terms the quoted sentences must contain for an answer "
        "to count as found (calibrated on the dev set, see README).",
    )
    found_threshold_agreeing: float = Field(
        0.2,
        description="The lower share that suffices when dense and lexical retrieval independently rank the same "
        "top passage among their first `agree_rank` (a paraphrased question that both retrievers still place).",
    )
    agree_rank: int = Field(2, description="See found_threshold_agreeing.")
    answer_sentences: int = Field(3, description="Most sentences an extractive answer quotes.")

    ui_auth: SecretStr | None = Field(None, description="Login for the web UI: 'user:password' pairs separated by "
                                      "commas, or the path of a file with one 'user:password' per line.")
    ui_backends: str = Field("", description="Extra answer backends offered in the UI, comma-separated "
                             "(extractive and QA_LLM are always offered).")
    max_upload_mb: float = Field(20.0, description="Largest file the UI accepts for upload.")

    def index_dir(self) -> Path:
        return self.home / "index"
