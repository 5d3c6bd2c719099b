-- A run declared LOST whose agent's result arrived afterwards keeps that result, marked late.
ALTER TABLE runs ADD COLUMN late BOOLEAN DEFAULT FALSE NOT NULL;
