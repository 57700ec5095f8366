DROP TABLE follow_up_due;
DROP TABLE plan_follow_ups;
DROP TABLE treatment_plan_signatures;
DROP TABLE treatment_plans;
