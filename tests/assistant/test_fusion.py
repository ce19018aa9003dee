import pytest

from assistant.retrieval.fusion import FusionRetriever, minmax_fusion, reciprocal_rank_fusion
from assistant.types import Chunk, Passage


def passage(cid: str, score: float) -> Passage:
    chunk = Chunk(chunk_id=cid, doc_id="d", text=cid, title="t", source="s")
    return Passage(chunk=chunk, score=score, scores={"x": score})


class Fixed:
    def __init__(self, name, ranking):
        self.name = name
        self.ranking = ranking

    def retrieve(self, query, k, filters=None):
        return [p.model_copy(deep=True) for p in self.ranking[:k]]


def test_rrf_prefers_items_ranked_high_in_both():
    a = [passage("x", 9), passage("y", 5), passage("z", 1)]
    b = [passage("y", 0.9), passage("z", 0.8), passage("x", 0.1)]
    fused = reciprocal_rank_fusion([a, b], [1.0, 1.0])
    assert [p.chunk.chunk_id for p in fused][0] == "y"


def test_minmax_normalises_each_ranking():
    a = [passage("x", 100), passage("y", 50)]
    b = [passage("y", 0.9), passage("x", 0.89)]
    fused = minmax_fusion([a, b], [1.0, 1.0])
    scores = {p.chunk.chunk_id: p.score for p in fused}
    assert scores["x"] == pytest.approx(1.0)
    assert scores["y"] == pytest.approx(1.0)


def test_weights_shift_the_order():
    a = [passage("x", 1.0), passage("y", 0.0)]
    b = [passage("y", 1.0), passage("x", 0.0)]
    fused = minmax_fusion([a, b], [2.0, 1.0])
    assert fused[0].chunk.chunk_id == "x"


def test_fusion_retriever_validates_its_arguments():
    with pytest.raises(ValueError, match="weights"):
        FusionRetriever([Fixed("a", [])], weights=[1.0, 2.0])
    with pytest.raises(ValueError, match="method"):
        FusionRetriever([Fixed("a", [])], method="max")
    with pytest.raises(ValueError, match="k must be greater than 0"):
        FusionRetriever([Fixed("a", [])]).retrieve("q", 0)


def test_fusion_retriever_cuts_to_k_and_keeps_stage_scores():
    r = FusionRetriever(
        [Fixed("a", [passage("x", 2), passage("y", 1)]), Fixed("b", [passage("y", 3)])], method="rrf"
    )
    got = r.retrieve("q", 1)
    assert len(got) == 1 and got[0].chunk.chunk_id == "y"
    assert "fused" in got[0].scores


class ScriptedScorer:
    """A candidate scorer with fixed scores by chunk id; records what it was given and when."""

    name = "latent"

    def __init__(self, scores, log):
        self.scores = scores
        self.log = log

    def start(self, query):
        from concurrent.futures import Future

        self.log.append("start")
        future = Future()
        future.set_result(query)
        return future

    def rank(self, query, candidates):
        self.log.append(sorted(p.chunk.chunk_id for p in candidates))
        ranked = [
            passage(p.chunk.chunk_id, self.scores[p.chunk.chunk_id])
            for p in candidates
            if p.chunk.chunk_id in self.scores
        ]
        return sorted(ranked, key=lambda p: -p.score)


class Logged(Fixed):
    def __init__(self, name, ranking, log):
        super().__init__(name, ranking)
        self.log = log

    def retrieve(self, query, k, filters=None):
        self.log.append(self.name)
        return super().retrieve(query, k, filters)


def test_a_candidate_scorer_ranks_the_union_of_candidates_and_is_fused_with_its_weight():
    log = []
    lexical = Logged("lexical", [passage("x", 2.0), passage("y", 1.0)], log)
    dense = Logged("dense", [passage("y", 0.9), passage("z", 0.8)], log)
    # Without the scorer x and y tie at the top and z is last; the scorer (weight 2) prefers z.
    scorer = ScriptedScorer({"x": 0.0, "y": 0.5, "z": 1.0}, log)
    fused = FusionRetriever([lexical, dense], weights=[1.0, 1.0, 2.0], scorers=[scorer]).retrieve("q", 3)
    assert log == ["start", "lexical", "dense", ["x", "y", "z"]]  # started first, then the union
    assert [p.chunk.chunk_id for p in fused] == ["y", "z", "x"]
    # y: lexical 0 + dense 1 + 2 * 0.5; z: 0 + 0 + 2 * 1; x: 1 + 0 + 0
    assert [p.scores["fused"] for p in fused] == pytest.approx([2.0, 2.0, 1.0])


def test_a_scorer_without_vectors_leaves_the_hybrid_order():
    lexical = Fixed("lexical", [passage("x", 2.0), passage("y", 1.0)])
    dense = Fixed("dense", [passage("x", 0.9), passage("y", 0.1)])
    plain = FusionRetriever([lexical, dense], weights=[0.5, 1.0]).retrieve("q", 2)
    with_empty = FusionRetriever(
        [lexical, dense], weights=[0.5, 1.0, 1.0], scorers=[ScriptedScorer({}, [])]
    ).retrieve("q", 2)
    assert [p.chunk.chunk_id for p in with_empty] == [p.chunk.chunk_id for p in plain] == ["x", "y"]
    with pytest.raises(ValueError, match="one value per retriever and scorer"):
        FusionRetriever([lexical, dense], weights=[0.5, 1.0], scorers=[ScriptedScorer({}, [])])
