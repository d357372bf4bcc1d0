"""`deployments/book.infer_spec`: a deployment named at run time takes the closest model's
limits from the catalogue."""

from mockazure.config import load_deployments
from mockazure.deployments.book import infer_spec

CATALOGUE = load_deployments(None)


def test_infer_spec_takes_the_longest_model_name_in_the_deployment_name() -> None:
    spec = infer_spec("gpt-4o-mini-prod", None, CATALOGUE)
    assert (spec.name, spec.model, spec.capability) == ("gpt-4o-mini-prod", "gpt-4o-mini", "chat")
    assert spec.tpm == CATALOGUE["gpt-4o-mini"].tpm


def test_infer_spec_follows_an_explicit_model() -> None:
    spec = infer_spec("search", "text-embedding-3-small", CATALOGUE)
    assert (spec.model, spec.capability) == ("text-embedding-3-small", "embeddings")
    assert spec.dimensions == CATALOGUE["text-embedding-3-small"].dimensions


def test_infer_spec_of_an_unknown_chat_model_uses_the_default_template() -> None:
    spec = infer_spec("my-llm", None, CATALOGUE)
    assert spec.capability == "chat"
    assert spec.name == "my-llm"
