DROP TABLE closure_proposals;
DROP TABLE case_proposals;
