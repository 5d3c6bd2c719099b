-- The name an agent was given (--name, default its hostname); NULL for agents that send none.
-- Cloned hosts that share a hostname are told apart by it.
ALTER TABLE agents ADD COLUMN name VARCHAR(255);
