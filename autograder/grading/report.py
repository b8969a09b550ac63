"""The grading report: the JSON interface of COURSE.md, one object per notebook."""
from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass
class ExerciseResult:
    score: float
    max_score: float
    passed: bool
    feedback: str
    # The hint of the known mistake the feedback names ("Likely mistake: ..."), if any: our text,
    # never the student's, kept apart so that class statistics need not parse the feedback.
    likely_mistake: str = ""

    def to_dict(self) -> dict:
        d = {"score": self.score, "max_score": self.max_score, "passed": self.passed,
             "feedback": self.feedback}
        if self.likely_mistake:
            d["likely_mistake"] = self.likely_mistake
        return d


@dataclass
class Report:
    notebook: str
    seed: int
    lesson: str | None = None
    exercises: dict[str, ExerciseResult] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    sandbox: str = ""  # "namespaces" or "limits only" (see SandboxKernel.isolation); "" if no kernel ran

    @property
    def score(self) -> float:
        return round(sum(r.score for r in self.exercises.values()), 2)

    @property
    def max_score(self) -> float:
        return round(sum(r.max_score for r in self.exercises.values()), 2)

    def to_dict(self) -> dict:
        return {
            "lesson": self.lesson,
            "score": self.score,
            "max_score": self.max_score,
            "exercises": {k: v.to_dict() for k, v in self.exercises.items()},
            "errors": list(self.errors),
            "seed": self.seed,
            "notebook": self.notebook,
            "seconds": round(self.seconds, 3),
            "sandbox": self.sandbox,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, d: dict) -> "Report":
        r = cls(d["notebook"], d["seed"], d["lesson"], errors=list(d["errors"]),
                seconds=d.get("seconds", 0.0), sandbox=d.get("sandbox", ""))
        r.exercises = {k: ExerciseResult(**v) for k, v in d["exercises"].items()}
        return r
