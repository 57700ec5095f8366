DROP TABLE disagreement_rungs;
